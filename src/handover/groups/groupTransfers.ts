import type { EntityManager } from "typeorm";
import { CHINA_TIME_ZONE } from "../../platform/localDate";
import { startOfLocalDay } from "../../calendar";
import { WECOM_ERRCODE } from "../../wecom";
import { WeComApiError } from "../../wecom";
import type { WeComClient } from "../../wecom";
import type { HandoverDeps } from "../deps";
import { MAX_GROUPS_PER_OWNER_PER_DAY, planGroupTransfers } from "../rules/groupTransferPlan";
import { MAX_IDS_PER_TRANSFER_CALL } from "../rules/transferBatches";
import type { TransferMode } from "../rules/transferMode";
import { recordAnswer, recordIntendedCall, sendPendingCalls, type PendingCall } from "../transfers/callLedger";

import { classifyGroupErrcode, groupFailureText, groupRetryExhaustedText, MAX_GROUP_ATTEMPTS, ownedByOtherText } from "../rules/groupTransferErrors";

/** Retried groups wait this long (the directory catching up with a deletion, an inheritance in progress). */
const GROUP_RETRY_DELAY_MS = 3_600_000;

/** Every customer group chat the member owns, by cursor. */
export async function listOwnedGroups(client: WeComClient, ownerUserid: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.groupChat.list({ owner_filter: { userid_list: [ownerUserid] }, limit: 1000, ...(cursor ? { cursor } : {}) });
    ids.push(...page.group_chat_list.map((g) => g.chat_id));
    cursor = page.next_cursor || undefined;
  } while (cursor);
  return ids;
}

/** Groups each owner already received today through us (the day WeCom counts in is China's). */
async function receivedToday(manager: EntityManager, owners: string[], now: Date): Promise<Record<string, number>> {
  const rows: { new_owner: string; n: number }[] = await manager.query(
    `SELECT new_owner, count(*)::int AS n FROM group_transfer WHERE new_owner = ANY($1) AND status = 'done' AND transferred_at >= $2 GROUP BY new_owner`,
    [owners, startOfLocalDay(now, CHINA_TIME_ZONE)],
  );
  return Object.fromEntries(rows.map((r) => [r.new_owner, r.n]));
}

/**
 * Plans a leaver's groups from the plan's items: each new owner gets at most
 * 300 a day, the rest on following days. Groups already planned keep their row.
 */
export async function planGroupRows(manager: EntityManager, leaverUserid: string, mode: TransferMode, now: Date): Promise<number> {
  const items: { item_id: string; successor_userid: string }[] = await manager.query(
    `SELECT i.item_id, i.successor_userid FROM reassignment_item i
     WHERE i.leaver_userid = $1 AND i.kind = 'group' AND i.successor_userid IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM group_transfer g WHERE g.leaver_userid = i.leaver_userid AND g.chat_id = i.item_id)
     ORDER BY i.item_id`,
    [leaverUserid],
  );
  if (items.length === 0) return 0;
  const groups = items.map((i) => ({ chatId: i.item_id, newOwner: i.successor_userid }));
  const calls = planGroupTransfers(groups, now, { alreadyToday: await receivedToday(manager, [...new Set(groups.map((g) => g.newOwner))], now) });
  const rows = calls.flatMap((c) => c.chatIds.map((chatId) => ({ chat_id: chatId, new_owner: c.newOwner, day: c.day, not_before: c.notBefore })));
  await manager.query(
    `INSERT INTO group_transfer (leaver_userid, chat_id, new_owner, mode, status, planned_day, not_before, updated_at)
     SELECT $1, r.chat_id, r.new_owner, $2, 'planned', r.day::date, r.not_before, $3
     FROM json_to_recordset($4::json) AS r(chat_id text, new_owner text, day text, not_before timestamptz)
     ON CONFLICT DO NOTHING`,
    [leaverUserid, mode, now, JSON.stringify(rows)],
  );
  return rows.length;
}

const dueGroup = `g.status = 'planned' AND g.call_id IS NULL AND g.not_before <= $1
  AND (g.mode = 'on_job' OR NOT EXISTS (SELECT 1 FROM staff s WHERE s.userid = g.leaver_userid AND s.status <> 5))`;

/**
 * Records calls of ≤ 100 due groups per (leaver, new owner, endpoint),
 * re-checking the new owner's room for today at call time; what does not fit
 * moves to the next China day.
 */
export async function queueDueGroupTransfers(deps: HandoverDeps): Promise<number> {
  let calls = 0;
  for (;;) {
    const queued = await deps.dataSource.transaction(async (manager) => {
      const now = deps.clock.now();
      const [first] = await manager.query(
        `SELECT g.leaver_userid, g.new_owner, g.mode FROM group_transfer g WHERE ${dueGroup} ORDER BY g.not_before, g.chat_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!first) return false;
      const [{ n: inFlight }] = await manager.query(
        `SELECT count(*)::int AS n FROM group_transfer WHERE new_owner = $1 AND call_id IS NOT NULL AND status = 'planned'`,
        [first.new_owner],
      );
      const room = MAX_GROUPS_PER_OWNER_PER_DAY - ((await receivedToday(manager, [first.new_owner], now))[first.new_owner] ?? 0) - inFlight;
      if (room <= 0) {
        await manager.query(
          `UPDATE group_transfer g SET not_before = $3, planned_day = ($3 AT TIME ZONE 'Asia/Shanghai')::date, updated_at = $1
           WHERE ${dueGroup} AND g.new_owner = $2`,
          [now, first.new_owner, startOfLocalDay(now, CHINA_TIME_ZONE, 1)],
        );
        return true;
      }
      const rows: { chat_id: string }[] = await manager.query(
        `SELECT g.chat_id FROM group_transfer g WHERE ${dueGroup} AND g.leaver_userid = $2 AND g.new_owner = $3 AND g.mode = $4
         ORDER BY g.not_before, g.chat_id LIMIT $5 FOR UPDATE SKIP LOCKED`,
        [now, first.leaver_userid, first.new_owner, first.mode, Math.min(MAX_IDS_PER_TRANSFER_CALL, room)],
      );
      const ids = rows.map((r) => r.chat_id);
      const callId = await recordIntendedCall(
        manager,
        { endpoint: first.mode === "on_job" ? "group_on_job" : "group_resigned", leaverUserid: first.leaver_userid, successorUserid: first.new_owner, ids, message: null },
        now,
      );
      await manager.query(`UPDATE group_transfer SET call_id = $3, attempts = attempts + 1, updated_at = $4 WHERE leaver_userid = $1 AND chat_id = ANY($2)`, [
        first.leaver_userid,
        ids,
        callId,
        now,
      ]);
      calls++;
      return true;
    });
    if (!queued) return calls;
  }
}

export function sendGroupTransferCalls(deps: HandoverDeps): Promise<number> {
  return sendPendingCalls(deps.dataSource, ["group_on_job", "group_resigned"], (manager, call) => sendCall(deps, manager, call));
}

async function sendCall(deps: HandoverDeps, manager: EntityManager, call: PendingCall): Promise<void> {
  const request = { chat_id_list: call.ids, new_owner: call.successorUserid };
  let failed: Array<{ chat_id: string; errcode: number; errmsg: string }>;
  let callErrcode = 0;
  try {
    const reply = call.endpoint === "group_on_job" ? await deps.client.groupChat.onjobTransfer(request) : await deps.client.groupChat.transfer(request);
    failed = reply.failed_chat_list;
  } catch (err) {
    if (!(err instanceof WeComApiError)) throw err;
    callErrcode = err.errcode;
    failed = call.ids.map((chat_id) => ({ chat_id, errcode: err.errcode, errmsg: err.errmsg }));
  }
  const now = deps.clock.now();
  await recordAnswer(manager, call.id, { state: callErrcode === 0 ? "answered" : "failed", errcode: callErrcode, response: { failed_chat_list: failed } }, now);
  const failedById = new Map(failed.map((f) => [f.chat_id, f]));
  const done: string[] = [];
  for (const chatId of call.ids) {
    const f = failedById.get(chatId);
    if (!f) {
      done.push(chatId);
      continue;
    }
    let outcome = classifyGroupErrcode(f.errcode);
    const group = await groupDetails(deps, chatId);
    if (outcome.kind === "check_owner") {
      // 90504/90507/90508 (or 90500 after a resend): if the group is already the new owner's, it is done.
      if (group?.owner === call.successorUserid) {
        done.push(chatId);
        continue;
      }
      if (outcome.otherwise === "final") {
        const ownerName = group ? await staffName(manager, group.owner) : null;
        await failGroup(manager, call.leaverUserid, chatId, f.errcode, ownedByOtherText(ownerName), group?.name ?? null, now);
        continue;
      }
      outcome = { kind: "retry", reason: f.errcode === WECOM_ERRCODE.GROUP_INHERITING ? "该群正在被继承中" : "企业微信尚未显示原群主已离职", whenExhausted: "请在企业微信管理后台确认该群的群主后处理" };
    }
    if (outcome.kind === "retry") {
      const [row] = await manager.query(`SELECT attempts FROM group_transfer WHERE leaver_userid = $1 AND chat_id = $2`, [call.leaverUserid, chatId]);
      if ((row?.attempts ?? 0) >= MAX_GROUP_ATTEMPTS) {
        await failGroup(manager, call.leaverUserid, chatId, f.errcode, groupRetryExhaustedText(outcome.reason, row.attempts, outcome.whenExhausted), group?.name ?? null, now);
      } else {
        await manager.query(
          `UPDATE group_transfer SET call_id = NULL, not_before = $3, errcode = $4, errmsg = $5, chat_name = coalesce($6, chat_name), updated_at = $7
           WHERE leaver_userid = $1 AND chat_id = $2`,
          [call.leaverUserid, chatId, new Date(now.getTime() + GROUP_RETRY_DELAY_MS), f.errcode, outcome.reason, group?.name ?? null, now],
        );
      }
      continue;
    }
    await failGroup(manager, call.leaverUserid, chatId, f.errcode, groupFailureText(outcome), group?.name ?? null, now);
  }
  await manager.query(
    `UPDATE group_transfer SET status = 'done', errcode = 0, errmsg = NULL, transferred_at = $3, updated_at = $3 WHERE leaver_userid = $1 AND chat_id = ANY($2) AND status = 'planned'`,
    [call.leaverUserid, done, now],
  );
}

async function failGroup(manager: EntityManager, leaver: string, chatId: string, errcode: number, text: string, name: string | null, now: Date): Promise<void> {
  await manager.query(
    `UPDATE group_transfer SET status = 'failed', errcode = $3, errmsg = $4, chat_name = coalesce($5, chat_name), updated_at = $6 WHERE leaver_userid = $1 AND chat_id = $2`,
    [leaver, chatId, errcode, text, name, now],
  );
}

/** The group as WeCom reports it now (owner, name), or null when WeCom will not say. */
async function groupDetails(deps: HandoverDeps, chatId: string): Promise<{ owner: string; name: string } | null> {
  try {
    const group = await deps.client.groupChat.get(chatId, false);
    return { owner: group.owner, name: group.name ?? "" };
  } catch (err) {
    if (err instanceof WeComApiError) return null;
    throw err;
  }
}

async function staffName(manager: EntityManager, userid: string): Promise<string | null> {
  const [row] = await manager.query(`SELECT name FROM staff WHERE userid = $1`, [userid]);
  return row?.name ?? null;
}
