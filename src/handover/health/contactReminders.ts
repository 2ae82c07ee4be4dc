import type { EntityManager } from "typeorm";
import { displayNames } from "../../org";
import { enqueueWeComMessage } from "../../wecom";
import type { HandoverDeps } from "../deps";
import { contactReminderDue } from "./handoverHealth";
import { HEALTH_COLUMNS, toHealthRow, type HealthRow } from "./healthStore";

/** The outbox topic of the successor-contact reminders (their outcome is in the outbox's attempt log). */
const CONTACT_REMINDER_TOPIC = "handover.contact_reminders";

export interface ContactSettings {
  contactWithinDays: number;
  escalateAfterDays: number;
}

export interface ContactReminderRun {
  successors: Array<{ userid: string; parents: number }>;
  campusHeads: Array<{ userid: string; parents: number }>;
}

async function campusHeadsOfBranch(m: EntityManager, branchId: number | null): Promise<string[]> {
  if (branchId === null) return [];
  const rows: { userid: string }[] = await m.query(
    `SELECT DISTINCT g.userid FROM role_grant g JOIN department d ON d.id = $1 WHERE g.role = 'campus_head' AND g.department_id = ANY (d.path) ORDER BY g.userid`,
    [branchId],
  );
  return rows.map((r) => r.userid);
}

/**
 * A successor who has not written to an inherited parent within the
 * branch's days is reminded (one message listing the parents by name); if
 * still nothing after the escalation days, the campus head is told. Each
 * parent is reminded once per level: marked in the transaction that queues
 * the message in the one WeCom outbox.
 */
export async function remindUncontactedParents(deps: HandoverDeps, settingsFor: (branchId: number | null) => Promise<ContactSettings>): Promise<ContactReminderRun> {
  const now = deps.clock.now();
  const run: ContactReminderRun = { successors: [], campusHeads: [] };
  await deps.dataSource.transaction(async (m) => {
    const rows: HealthRow[] = (
      await m.query(
        `SELECT ${HEALTH_COLUMNS} FROM handover_parent_health
          WHERE successor_first_msg_at IS NULL AND follow_deleted_at IS NULL AND transfer_status <> 'refused' AND reminded_head_at IS NULL
          ORDER BY successor_userid, handed_over_at FOR UPDATE SKIP LOCKED`,
      )
    ).map(toHealthRow);
    const toSuccessor = new Map<string, HealthRow[]>();
    const toHeads = new Map<number | null, HealthRow[]>();
    const cache = new Map<number | null, ContactSettings>();
    for (const row of rows) {
      if (!cache.has(row.branchId)) cache.set(row.branchId, await settingsFor(row.branchId));
      const level = contactReminderDue(row, now, cache.get(row.branchId)!);
      if (level === "successor" && !row.remindedSuccessorAt) toSuccessor.set(row.successorUserid, [...(toSuccessor.get(row.successorUserid) ?? []), row]);
      if (level === "campus_head") toHeads.set(row.branchId, [...(toHeads.get(row.branchId) ?? []), row]);
    }
    for (const [, list] of toSuccessor) {
      await m.query(`UPDATE handover_parent_health SET reminded_successor_at = $3 WHERE leaver_userid = ANY($1) AND external_userid = ANY($2)`,
        [list.map((r) => r.leaverUserid), list.map((r) => r.externalUserid), now]);
    }
    const heads = new Map<number | null, string[]>();
    for (const [branchId, list] of toHeads) {
      heads.set(branchId, await campusHeadsOfBranch(m, branchId));
      await m.query(`UPDATE handover_parent_health SET reminded_head_at = $3 WHERE leaver_userid = ANY($1) AND external_userid = ANY($2)`,
        [list.map((r) => r.leaverUserid), list.map((r) => r.externalUserid), now]);
    }
    const names = await displayNames(m, rows.flatMap((r) => [r.externalUserid, r.successorUserid, r.leaverUserid]));
    const name = (id: string) => names.get(id) ?? "（未同步姓名）";
    // Queued in the transaction that marks the parents reminded: sent by the one outbox (with WeCom's duplicate
    // check, retried while WeCom is busy or unreachable), so a reminder is neither lost nor sent twice.
    for (const [successor, list] of toSuccessor) {
      const days = cache.get(list[0]!.branchId)!.contactWithinDays;
      const content = `【家长交接提醒】您接手的${list.length}位家长已超过${days}天未收到您的消息：${list.slice(0, 20).map((r) => `${name(r.externalUserid)}（原${name(r.leaverUserid)}负责）`).join("、")}${list.length > 20 ? "等" : ""}。请尽快主动联系，避免家长流失。`;
      await enqueueWeComMessage(m, { topic: CONTACT_REMINDER_TOPIC, ref: { successor }, message: { type: "text", touser: [successor], content }, duplicateCheck: true, giveUpAfter: 10 }, now);
      run.successors.push({ userid: successor, parents: list.length });
    }
    for (const [branchId, list] of toHeads) {
      const to = heads.get(branchId) ?? [];
      if (to.length === 0) continue;
      const lines = list.slice(0, 20).map((r) => `${name(r.externalUserid)}：接任老师${name(r.successorUserid)}交接后一直未联系`);
      const content = `【家长交接预警】${list.length}位交接家长在提醒后仍未被接任老师联系：\n${lines.join("\n")}${list.length > 20 ? "\n……" : ""}\n请督促跟进。`;
      await enqueueWeComMessage(m, { topic: CONTACT_REMINDER_TOPIC, ref: { branchId }, message: { type: "text", touser: to, content }, duplicateCheck: true, giveUpAfter: 10 }, now);
      for (const h of to) run.campusHeads.push({ userid: h, parents: list.length });
    }
  });
  return run;
}
