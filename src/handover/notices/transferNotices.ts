import type { EntityManager } from "typeorm";
import { GROUP_MSG_LIST_MAX_SPAN_SECONDS } from "../../wecom";
import { WeComApiError, WeComOutcomeUnknownError } from "../../wecom";
import type { HandoverDeps } from "../deps";

import { successorIntroduction } from "./successorIntroduction";
import type { NotificationReceipt, TransferProblem, TransferProblemNotifier } from "./problemNotifier";

const unreportedParents = `t.superseded_at IS NULL AND t.problem_report_id IS NULL
  AND (t.status IN ('refused','successor_over_limit') OR (t.status = 'failed' AND NOT t.retryable))`;

/**
 * Collects every parent and group that ended without reaching its successor
 * into one HR notice per leaver. The rows are marked with the notice in the
 * same transaction, so each problem is reported exactly once.
 */
export async function queueProblemReports(deps: HandoverDeps): Promise<number> {
  return deps.dataSource.transaction(async (manager) => {
    const now = deps.clock.now();
    const parents: Array<{ id: string; leaver_userid: string; external_userid: string; successor_userid: string; failure_reason: string | null; errcode: number | null }> =
      await manager.query(
        `SELECT t.id, t.leaver_userid, t.external_userid, t.successor_userid, t.failure_reason, t.errcode FROM customer_transfer t
         WHERE ${unreportedParents} ORDER BY t.id FOR UPDATE SKIP LOCKED`,
      );
    const groups: Array<{ leaver_userid: string; chat_id: string; chat_name: string | null; new_owner: string; errmsg: string | null; errcode: number | null }> = await manager.query(
      `SELECT leaver_userid, chat_id, chat_name, new_owner, errmsg, errcode FROM group_transfer
       WHERE status = 'failed' AND problem_report_id IS NULL ORDER BY chat_id FOR UPDATE SKIP LOCKED`,
    );
    const leavers = [...new Set([...parents.map((p) => p.leaver_userid), ...groups.map((g) => g.leaver_userid)])];
    for (const leaver of leavers) {
      const mine = parents.filter((p) => p.leaver_userid === leaver);
      const myGroups = groups.filter((g) => g.leaver_userid === leaver);
      const names = await namesOf(manager, mine.map((p) => p.external_userid), [...mine.map((p) => p.successor_userid), ...myGroups.map((g) => g.new_owner)]);
      const problems: TransferProblem[] = [
        ...mine.map((p) => ({
          kind: "parent" as const,
          id: p.external_userid,
          name: names.get(p.external_userid) ?? null,
          successorUserid: p.successor_userid,
          successorName: names.get(p.successor_userid) ?? null,
          reason: p.failure_reason ?? "转接失败",
          errcode: p.errcode,
        })),
        ...myGroups.map((g) => ({
          kind: "group" as const,
          id: g.chat_id,
          // WeCom's group name; a group nobody named shows as 未命名群聊 in WeCom too.
          name: g.chat_name || null,
          successorUserid: g.new_owner,
          successorName: names.get(g.new_owner) ?? null,
          reason: g.errmsg ?? "群聊转移失败",
          errcode: g.errcode,
        })),
      ];
      const [{ id }] = await manager.query(
        `INSERT INTO transfer_notification (kind, leaver_userid, recipients, payload, created_at) VALUES ('hr_problems', $1, '{}', $2, $3) RETURNING id`,
        [leaver, JSON.stringify({ problems }), now],
      );
      await manager.query(`UPDATE customer_transfer SET problem_report_id = $2 WHERE id = ANY($1)`, [mine.map((p) => p.id), id]);
      await manager.query(`UPDATE group_transfer SET problem_report_id = $3 WHERE leaver_userid = $1 AND chat_id = ANY($2)`, [
        leaver,
        myGroups.map((g) => g.chat_id),
        id,
      ]);
    }
    return leavers.length;
  });
}

/**
 * The resigned endpoint shows the parent no message of ours, so once a parent
 * is with the successor we prepare a 群发 (add_msg_template) from the
 * successor introducing themselves; WeCom sends it when they confirm.
 */
export async function queueParentIntroductions(deps: HandoverDeps): Promise<number> {
  return deps.dataSource.transaction(async (manager) => {
    const now = deps.clock.now();
    const rows: { id: string; leaver_userid: string; successor_userid: string; external_userid: string }[] = await manager.query(
      `SELECT id, leaver_userid, successor_userid, external_userid FROM customer_transfer
       WHERE status = 'done' AND mode = 'resigned' AND parent_notice_id IS NULL ORDER BY id FOR UPDATE SKIP LOCKED`,
    );
    const byPair = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.leaver_userid}\u0000${r.successor_userid}`;
      byPair.set(key, [...(byPair.get(key) ?? []), r]);
    }
    for (const pair of byPair.values()) {
      const { leaver_userid: leaver, successor_userid: successor } = pair[0]!;
      // add_msg_template takes up to 10,000 parents per call.
      for (let i = 0; i < pair.length; i += 10_000) {
        const chunk = pair.slice(i, i + 10_000);
        const text = await successorIntroduction(manager, leaver, successor);
        const [{ id }] = await manager.query(
          `INSERT INTO transfer_notification (kind, leaver_userid, sender, recipients, payload, created_at) VALUES ('parent_intro', $1, $2, $3, $4, $5) RETURNING id`,
          [leaver, successor, chunk.map((r) => r.external_userid), JSON.stringify({ text }), now],
        );
        await manager.query(`UPDATE customer_transfer SET parent_notice_id = $2 WHERE id = ANY($1)`, [chunk.map((r) => r.id), id]);
      }
    }
    return byPair.size;
  });
}

/** A claimed notice whose sender died (or whose outcome was unknown) is looked at again after this long. */
const ATTEMPT_LEASE_MS = 5 * 60_000;

interface PendingNotice {
  id: string;
  kind: "hr_problems" | "parent_intro";
  leaver_userid: string;
  sender: string;
  recipients: string[];
  payload: { text: string; problems: TransferProblem[] };
  attempted_at: Date | null;
}

/**
 * Sends each pending notice once and records WeCom's msgid and errcode. add_msg_template creates a task
 * every time it is called (no server-side dedupe, path/92135), so the attempt is committed BEFORE the call,
 * and a notice that was attempted before (a crash, or a timeout: WeComOutcomeUnknownError) is first looked
 * up in WeCom's 群发 records (get_groupmsg_list_v2, path/93338: same sender, same text, since the attempt)
 * and only sent again when WeCom has no such task. The HR report is an app message sent with WeCom's
 * duplicate check, so a resend of it is dropped by WeCom.
 */
export async function sendPendingNotices(deps: HandoverDeps, notifier: TransferProblemNotifier): Promise<number> {
  let sent = 0;
  for (;;) {
    const n = await claimNotice(deps);
    if (!n) return sent;
    let receipt: (NotificationReceipt & { failList?: string[]; reconciled?: boolean }) | undefined;
    try {
      receipt = n.kind === "hr_problems" ? await notifyHr(deps, notifier, n) : await sendIntro(deps, n);
    } catch (err) {
      if (!(err instanceof WeComOutcomeUnknownError)) throw err;
      // It may have been created: look now; if WeCom has it not (yet), the lease brings it back to look again.
      receipt = n.kind === "parent_intro" ? await findIntroTask(deps, n) : undefined;
      if (!receipt) {
        deps.logger.warn({ noticeId: n.id, kind: n.kind }, "transfer notice outcome unknown; will look it up before sending again");
        continue;
      }
    }
    await deps.dataSource.query(
      `UPDATE transfer_notification SET state = $2, recipients = $3, msgid = $4, errcode = $5, response = $6, sent_at = $7 WHERE id = $1`,
      [n.id, receipt.errcode === 0 ? "sent" : "failed", receipt.recipients, receipt.msgid, receipt.errcode, JSON.stringify(receipt), deps.clock.now()],
    );
    sent++;
  }
}

/** Takes the next pending notice and commits the attempt (with a lease) before anything is sent. */
async function claimNotice(deps: HandoverDeps): Promise<PendingNotice | undefined> {
  return deps.dataSource.transaction(async (manager) => {
    const now = deps.clock.now();
    const [n]: PendingNotice[] = await manager.query(
      `SELECT id, kind, leaver_userid, sender, recipients, payload, attempted_at FROM transfer_notification
       WHERE state = 'pending' AND (attempted_at IS NULL OR attempted_at <= $1) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - ATTEMPT_LEASE_MS)],
    );
    if (!n) return undefined;
    await manager.query(`UPDATE transfer_notification SET attempted_at = $2 WHERE id = $1`, [n.id, now]);
    return n;
  });
}

async function notifyHr(deps: HandoverDeps, notifier: TransferProblemNotifier, n: PendingNotice): Promise<NotificationReceipt> {
  const names = await namesOf(deps.dataSource.manager, [], [n.leaver_userid]);
  return notifier.notify({ userid: n.leaver_userid, name: names.get(n.leaver_userid) ?? "离职老师" }, n.payload.problems);
}

async function sendIntro(deps: HandoverDeps, n: PendingNotice): Promise<NotificationReceipt & { failList?: string[]; reconciled?: boolean }> {
  if (n.attempted_at) {
    const earlier = await findIntroTask(deps, n);
    if (earlier) return earlier;
  }
  try {
    const reply = await deps.client.msgTemplate.addMsgTemplate({
      chat_type: "single",
      sender: n.sender,
      external_userid: n.recipients,
      text: { content: n.payload.text },
    });
    return { recipients: n.recipients, msgid: reply.msgid, errcode: 0, failList: reply.fail_list };
  } catch (err) {
    if (err instanceof WeComApiError) return { recipients: n.recipients, msgid: null, errcode: err.errcode };
    throw err;
  }
}

/** The 群发 task an earlier attempt created, if WeCom has one: company-created, same sender, same text, since then. */
async function findIntroTask(deps: HandoverDeps, n: PendingNotice): Promise<(NotificationReceipt & { reconciled: true }) | undefined> {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const since = Math.floor((n.attempted_at ?? deps.clock.now()).getTime() / 1000) - 300;
  const records = await deps.client.groupMsgRecords.listAll({
    chatType: "single",
    startTime: Math.max(since, now - GROUP_MSG_LIST_MAX_SPAN_SECONDS + 60),
    endTime: now + 60,
    creator: n.sender,
    filterType: 0,
  });
  const task = records.find((r) => r.text?.content === n.payload.text);
  return task ? { recipients: n.recipients, msgid: task.msgid, errcode: 0, reconciled: true } : undefined;
}

async function namesOf(manager: EntityManager, parentIds: string[], staffIds: string[]): Promise<Map<string, string>> {
  const rows: { id: string; name: string }[] = await manager.query(
    `SELECT external_userid AS id, name FROM external_contact WHERE external_userid = ANY($1)
     UNION ALL SELECT userid, name FROM staff WHERE userid = ANY($2)`,
    [parentIds, staffIds],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
