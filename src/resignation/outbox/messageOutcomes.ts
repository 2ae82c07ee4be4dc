import type { EntityManager } from "typeorm";
import { appendDossier } from "../../dossier";
import type { OutboxOutcome } from "../../wecom";
import { keepApprovalCardCode } from "../cards/cardSync";
import { ALUMNI_OUTREACH_KIND, recordOutreachOutcome } from "../store/alumniOutreachStore";

const actor = { type: "system", id: "wecom-outbox" };

/**
 * What a message's outcome means for its case, in the transaction that closes the outbox row: the msgid
 * (or errcode) goes into the case dossier, and a delivered certificate is stamped with its msgid. A sent
 * approval card's response_code is kept for its step; an approval card or its update names its step and
 * round in the entry (the console reads what became of the card from it). An alumni 群发 (no case) records
 * its outcome on its send.
 */
export async function recordMessageOutcome(m: EntityManager, o: OutboxOutcome): Promise<void> {
  if (o.ref.kind === ALUMNI_OUTREACH_KIND) return recordOutreachOutcome(m, o);
  const caseId = typeof o.ref.caseId === "string" ? o.ref.caseId : null;
  const kind = o.ref.kind ?? null;
  const card: Record<string, string | number | null> =
    typeof o.ref.step === "string" ? { step: o.ref.step, round: o.ref.round ?? null, ...(o.ref.code ? { code: o.ref.code } : {}) } : {};
  if (o.outcome === "sent") {
    if (kind === "certificate_delivery" && caseId) {
      await m.query(`UPDATE termination_certificate SET delivered_at = $2, delivery_msgid = $3 WHERE case_id = $1`, [caseId, o.at, o.msgid]);
    }
    if (caseId) await appendDossier(m, caseId, o.at, "message_sent", actor, { outboxId: o.id, kind, msgid: o.msgid, errcode: 0, ...card });
    if (kind === "approval_card") await keepApprovalCardCode(m, o);
    return;
  }
  if (caseId) {
    await appendDossier(m, caseId, o.at, "message_failed", actor, { outboxId: o.id, kind, errcode: o.errcode, ...(o.outcome === "unknown" ? { outcome: "unknown" } : {}), ...card });
  }
}
