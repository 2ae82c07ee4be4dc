import type { DataSource, EntityManager } from "typeorm";
import { formatChinaTime } from "../../calendar";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { responsibleHr } from "../../org";
import { appendDossier } from "../../dossier";
import { GROUP_MSG_LIST_MAX_SPAN_SECONDS, type GroupMsgRecord, type WeComClient } from "../../wecom";
import { freezeBySetting, type FreezeOutcome } from "../actions/alertActions";
import { alertCard, type AlertForMessage } from "../notifier/alertMessages";
import { enqueueNotification } from "../notifier/alertOutbox";
import { sampleOf } from "../rules/alertText";
import { campusHeadsOf, departmentPathOf, loadAllLockdownSettings, lockdownFor } from "./lockdownStore";

export const LEAVER_GROUP_SEND_KIND = "leaver_group_send";

export interface GroupSendDeps {
  dataSource: DataSource;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string;
}

export interface GroupSendHit {
  msgid: string;
  userid: string;
  alertId: string;
  freeze?: FreezeOutcome;
}

/** Pure: the alert's words for a leaver's group-send task. */
export function groupSendAlertText(name: string, record: Pick<GroupMsgRecord, "create_type" | "text" | "create_time">, chatType: "single" | "group"): { title: string; summary: string; reasons: string[] } {
  const target = chatType === "group" ? "客户群" : "家长";
  const how = record.create_type === 1 ? "在手机上创建了群发" : "的账号被用于企业群发";
  const sample = sampleOf(record.text?.content);
  return {
    title: `【离职期间群发】${name}（离职中）${how}`,
    summary: `离职期间向${target}群发，任务创建于${formatChinaTime(new Date(record.create_time * 1000))}。${sample ? `内容：“${sample}”。` : ""}请立即核实，必要时冻结账号。`,
    reasons: [`离职期间创建群发任务（${target}）`, ...(sample ? [`内容：${sample}`] : [])],
  };
}

/**
 * A leaver's group-send task (add_msg_template, or a 群发 created on the
 * phone) seen in WeCom's group-send records (get_groupmsg_list_v2,
 * path/93338) raises a critical alert at once: HR gets the card with the
 * freeze button, the person's campus head is told, the evidence goes into
 * the dossier, and when the branch chose it the account is frozen on the
 * spot. Each task is handled once (by msgid), so polling often is safe.
 */
export async function watchLeaverGroupSends(deps: GroupSendDeps): Promise<GroupSendHit[]> {
  const { dataSource, clock } = deps;
  const leavers: { userid: string; case_id: string; locked_at: Date; name: string | null }[] = await dataSource.query(
    `SELECT l.userid, l.case_id, l.locked_at, s.name FROM leaver_lockdown l LEFT JOIN staff s ON s.userid = l.userid WHERE l.released_at IS NULL ORDER BY l.userid`,
  );
  if (leavers.length === 0) return [];
  const configured = await loadAllLockdownSettings(dataSource.manager);
  const hits: GroupSendHit[] = [];
  const end = Math.floor(clock.now().getTime() / 1000);
  for (const leaver of leavers) {
    // The window is capped at WeCom's one month; the notice period rarely exceeds it, and every task is kept by msgid.
    const start = Math.max(Math.floor(leaver.locked_at.getTime() / 1000), end - GROUP_MSG_LIST_MAX_SPAN_SECONDS);
    for (const chatType of ["single", "group"] as const) {
      let records: GroupMsgRecord[];
      try {
        records = await deps.client.groupMsgRecords.listAll({ chatType, startTime: start, endTime: end, creator: leaver.userid, filterType: 2 });
      } catch (err) {
        deps.logger.error({ err, userid: leaver.userid }, "reading group-send records failed; retried on the next run");
        continue;
      }
      for (const record of records.filter((r) => !r.creator || r.creator === leaver.userid)) {
        const hit = await dataSource.transaction((m) => recordGroupSend(m, deps, leaver, record, chatType, configured));
        if (hit) hits.push(hit);
      }
    }
  }
  return hits;
}

async function recordGroupSend(
  m: EntityManager,
  deps: GroupSendDeps,
  leaver: { userid: string; case_id: string; name: string | null },
  record: GroupMsgRecord,
  chatType: "single" | "group",
  configured: Awaited<ReturnType<typeof loadAllLockdownSettings>>,
): Promise<GroupSendHit | undefined> {
  const now = deps.clock.now();
  const seen = await m.query(
    `INSERT INTO leaver_group_send (msgid, creator, case_id, created_at, seen_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (msgid) DO NOTHING RETURNING msgid`,
    [record.msgid, leaver.userid, leaver.case_id, new Date(record.create_time * 1000), now],
  );
  if (seen.length === 0) return undefined;
  const name = leaver.name ?? "该员工";
  const text = groupSendAlertText(name, record, chatType);
  const path = await departmentPathOf(m, leaver.userid);
  const hr = await responsibleHr(m, leaver.userid);
  const [row] = await m.query(
    `INSERT INTO alert (incident_key, branch_id, rule_id, kind, severity, delivery, staff_userid, auditor_userid, parents, hit_msgids,
                        reasons, title, summary, case_id, opened_at, last_hit_at, created_at)
     VALUES ($1, $2, 'leaver_group_send', $3, 'critical', 'immediate', $4, $5, '{}', $6, $7, $8, $9, $10, $11, $11, $12)
     ON CONFLICT (incident_key) DO NOTHING RETURNING id`,
    [`${LEAVER_GROUP_SEND_KIND}:${record.msgid}`, path[path.length - 1] ?? 0, LEAVER_GROUP_SEND_KIND, leaver.userid, hr[0] ?? leaver.userid,
     [record.msgid], text.reasons, text.title, text.summary, leaver.case_id, new Date(record.create_time * 1000), now],
  );
  const alertId = String(row.id);
  await m.query(`UPDATE leaver_group_send SET alert_id = $2 WHERE msgid = $1`, [record.msgid, alertId]);
  await appendDossier(m, leaver.case_id, now, "risk_alert", { type: "system", id: "leaver-lockdown" }, {
    alertId, kind: LEAVER_GROUP_SEND_KIND, severity: "critical", title: text.title, summary: text.summary, reasons: text.reasons,
    evidence: { source: "get_groupmsg_list_v2", msgid: record.msgid, chatType, createType: record.create_type, createTime: record.create_time, text: record.text?.content ?? null, attachments: record.attachments?.length ?? 0 },
  });
  const message: AlertForMessage = { id: alertId, title: text.title, summary: text.summary, severity: "critical", staffUserId: leaver.userid, staffName: name, parentsCount: 0, caseId: leaver.case_id };
  if (hr.length > 0) {
    await enqueueNotification(m, { alertId, purpose: "alert", payload: { type: "card", touser: hr, card: alertCard(message, deps.publicBaseUrl) } }, now);
  }
  const heads = await campusHeadsOf(m, leaver.userid);
  let freeze: FreezeOutcome | undefined;
  if (lockdownFor(path, configured)?.settings.groupSend.autoFreeze) {
    freeze = await freezeBySetting(m, deps, alertId, "group_send_auto_freeze");
  }
  if (heads.length > 0) {
    const frozen = freeze?.outcome === "frozen" ? "账号已按校区设置自动冻结。" : freeze?.outcome === "it_task" ? "已按校区设置通知IT停用账号。" : "人事已收到预警，可一键冻结账号。";
    await enqueueNotification(m, { alertId, purpose: "alert", payload: { type: "text", touser: heads, content: `${text.title}\n${text.summary}\n${frozen}` } }, now);
  }
  return { msgid: record.msgid, userid: leaver.userid, alertId, ...(freeze ? { freeze } : {}) };
}
