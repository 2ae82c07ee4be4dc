import type { EntityManager } from "typeorm";
import type { Case } from "../../../miniprogram/services/types";
import { loadDossier } from "../../dossier";
import { loadSteps } from "../commands/approvalSteps";
import type { CaseRow } from "../store/caseStore";
import { loadItems } from "../store/checklistStore";
import { StaffDirectory } from "../../org";
import { displayNames } from "../../org";
import { reassignmentFacts } from "../../handover";
import { loadNoticeDeadline } from "../commands/noticeDeadline";
import { caseView } from "./caseView";

export { presentSummary } from "./caseView";

/** The case as the mini-program shows it (contract `Case`): loads the facts, caseView shapes them. */
export async function presentCase(manager: EntityManager, row: CaseRow): Promise<Case> {
  const staff = await new StaffDirectory(manager).find(row.employeeUserid);
  const steps = await loadSteps(manager, row.id);
  const signed: { signed: boolean }[] = await manager.query(`SELECT signed_at IS NOT NULL AS signed FROM resignation_notice WHERE case_id = $1`, [row.id]);
  const certificate: unknown[] = await manager.query(`SELECT 1 FROM termination_certificate WHERE case_id = $1`, [row.id]);
  const parents = (await loadItems(manager, row.id)).find((i) => i.kind === "all_parents_transferred");
  // WeCom's confirmed results, never the leaver's follow list (a resigned transfer leaves it in place).
  const facts = await reassignmentFacts(manager, row.employeeUserid);
  return caseView(row, {
    employeeName: staff?.name ?? null,
    probationEnd: staff?.probationEnd ?? null,
    steps,
    approverNames: await displayNames(manager, steps.flatMap((s) => s.approverUserids)),
    dossier: await loadDossier(manager, row.id),
    noticeSigned: signed[0]?.signed ?? false,
    deadline: await loadNoticeDeadline(manager, row.id),
    transfers: {
      total: facts.parentsTotal || (parents?.detail.entries?.length ?? 0),
      transferred: facts.parentsTransferred,
      failed: facts.problems.filter((p) => p.kind === "parent").length,
    },
    certificateIssued: certificate.length > 0,
  });
}
