import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import { toWallTime } from "../../calendar";
import { loadAllBranchSettings } from "../store/branchSettings";
import { digestMarkdown, type AlertForMessage } from "./alertMessages";
import { enqueueNotification } from "./alertOutbox";
import { routeFor } from "./notifierSettings";

/**
 * Alerts held for the digest (by their rule or the branch's routing) go out
 * once a day per branch: one markdown to the group and one text to each
 * auditor. They are marked in the same transaction, so a rerun sends nothing twice.
 */
export async function runDailyDigest(dataSource: DataSource, clock: Clock, publicBaseUrl: string): Promise<number> {
  const now = clock.now();
  const wall = toWallTime(now, "Asia/Shanghai");
  const day = `${wall.year}-${String(wall.month).padStart(2, "0")}-${String(wall.day).padStart(2, "0")}`;
  let sent = 0;
  for (const branch of await loadAllBranchSettings(dataSource.manager)) {
    sent += await dataSource.transaction(async (m) => {
      const rows: Array<{ id: string; kind: string; title: string; summary: string; severity: AlertForMessage["severity"]; staff_userid: string; staff_name: string | null; auditor_userid: string; parents: string[]; case_id: string | null }> =
        await m.query(
          `SELECT a.id, a.kind, a.title, a.summary, a.severity, a.staff_userid, s.name AS staff_name, a.auditor_userid, a.parents, a.case_id
             FROM alert a LEFT JOIN staff s ON s.userid = a.staff_userid
            WHERE a.branch_id = $1 AND a.delivery = 'digest' AND a.digested_at IS NULL ORDER BY a.id FOR UPDATE OF a SKIP LOCKED`,
          [branch.branchId],
        );
      if (rows.length === 0) return 0;
      const [dept] = await m.query(`SELECT name FROM department WHERE id = $1`, [branch.branchId]);
      const toMessage = (r: (typeof rows)[number]): AlertForMessage => ({
        id: r.id, title: r.title, summary: r.summary, severity: r.severity, staffUserId: r.staff_userid,
        staffName: r.staff_name ?? r.staff_userid, parentsCount: r.parents.length, caseId: r.case_id,
      });
      const { notifier } = branch;
      const forWebhook = rows.filter((r) => routeFor(notifier, r.kind as never).webhook).map(toMessage);
      if (notifier.webhookKey && forWebhook.length > 0) {
        for (const content of digestMarkdown(dept?.name ?? `部门${branch.branchId}`, day, forWebhook, publicBaseUrl)) {
          await enqueueNotification(m, { alertId: null, purpose: "digest", payload: { type: "markdown", webhookKey: notifier.webhookKey, content } }, now);
        }
      }
      const byAuditor = new Map<string, string[]>();
      for (const r of rows.filter((r) => routeFor(notifier, r.kind as never).app)) {
        byAuditor.set(r.auditor_userid, [...(byAuditor.get(r.auditor_userid) ?? []), `· ${r.title}（涉及${r.parents.length}位家长）`]);
      }
      for (const [auditor, lines] of byAuditor) {
        const content = `【${day} 风险预警汇总】共${lines.length}条\n${lines.slice(0, 10).join("\n")}${lines.length > 10 ? `\n……另有${lines.length - 10}条，请在HR后台查看` : ""}`;
        await enqueueNotification(m, { alertId: null, purpose: "digest", payload: { type: "text", touser: [auditor], content } }, now);
      }
      await m.query(`UPDATE alert SET digested_at = $2 WHERE id = ANY($1)`, [rows.map((r) => r.id), now]);
      return rows.length;
    });
  }
  return sent;
}
