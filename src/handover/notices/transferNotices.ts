import type { EntityManager } from "typeorm";
import { responsibleHr } from "../../org";
import { enqueueWeComMessage, type OutboxMessage, type OutboxOutcome } from "../../wecom";
import type { HandoverDeps } from "../deps";
import { problemReportText, type TransferProblem } from "./problemReport";
import { successorIntroduction } from "./successorIntroduction";

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

/** The outbox topic of the handover's notices; the outbox tells recordNoticeOutcome how each ended. */
export const HANDOVER_TOPIC = "handover";

interface UnqueuedNotice {
  id: string;
  kind: "hr_problems" | "parent_intro";
  leaver_userid: string;
  sender: string | null;
  recipients: string[];
  payload: { text?: string; problems?: TransferProblem[] };
  attempted_at: Date | null;
}

/**
 * Hands each new notice to the one WeCom outbox, in the transaction that marks it queued, so each is sent
 * once whichever instance runs this. The HR report goes as an app markdown message with WeCom's duplicate
 * check, to the HR whose departments cover the leaver at this moment; the parents' introduction as a 群发
 * task (add_msg_template), which the outbox looks up in WeCom's group-send records before any second try.
 * A notice an older version had already tried (attempted_at) is queued as one whose task may exist.
 */
export async function queueNoticesForSending(deps: HandoverDeps): Promise<number> {
  return deps.dataSource.transaction(async (manager) => {
    const now = deps.clock.now();
    const notices: UnqueuedNotice[] = await manager.query(
      `SELECT id, kind, leaver_userid, sender, recipients, payload, attempted_at FROM transfer_notification
       WHERE state = 'pending' AND queued_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED`,
    );
    for (const n of notices) {
      if (n.kind === "parent_intro") {
        const message: OutboxMessage = {
          type: "msg_template",
          sender: n.sender!,
          externalUserids: n.recipients,
          text: n.payload.text!,
          ...(n.attempted_at ? { mayExistSince: n.attempted_at.toISOString() } : {}),
        };
        await enqueueWeComMessage(manager, { topic: HANDOVER_TOPIC, ref: { noticeId: n.id }, message, duplicateCheck: false, giveUpAfter: 10 }, now);
        await manager.query(`UPDATE transfer_notification SET queued_at = $2 WHERE id = $1`, [n.id, now]);
        continue;
      }
      const hr = await responsibleHr(manager, n.leaver_userid);
      if (hr.length === 0) {
        await manager.query(`UPDATE transfer_notification SET state = 'failed', queued_at = $2, response = $3 WHERE id = $1`, [
          n.id,
          now,
          JSON.stringify({ reason: "没有负责该员工的人事或总部管理员，无人可接收" }),
        ]);
        continue;
      }
      const names = await namesOf(manager, [], [n.leaver_userid]);
      const content = problemReportText({ userid: n.leaver_userid, name: names.get(n.leaver_userid) ?? "离职老师" }, n.payload.problems ?? []);
      await enqueueWeComMessage(manager, { topic: HANDOVER_TOPIC, ref: { noticeId: n.id }, message: { type: "markdown", touser: hr, content }, duplicateCheck: true, giveUpAfter: 10 }, now);
      await manager.query(`UPDATE transfer_notification SET recipients = $2, queued_at = $3 WHERE id = $1`, [n.id, hr, now]);
    }
    return notices.length;
  });
}

/** The outbox's word on a notice, recorded in the transaction that closes the outbox row. */
export async function recordNoticeOutcome(manager: EntityManager, o: OutboxOutcome): Promise<void> {
  const state = o.outcome === "sent" ? "sent" : o.outcome === "unknown" ? "unknown" : "failed";
  await manager.query(`UPDATE transfer_notification SET state = $2, msgid = $3, errcode = $4, response = $5, sent_at = $6 WHERE id = $1`, [
    o.ref.noticeId,
    state,
    o.msgid,
    o.errcode,
    JSON.stringify({ outcome: o.outcome, failList: o.detail?.failList ?? [], reconciled: o.detail?.found === true }),
    o.at,
  ]);
}

async function namesOf(manager: EntityManager, parentIds: string[], staffIds: string[]): Promise<Map<string, string>> {
  const rows: { id: string; name: string }[] = await manager.query(
    `SELECT external_userid AS id, name FROM external_contact WHERE external_userid = ANY($1)
     UNION ALL SELECT userid, name FROM staff WHERE userid = ANY($2)`,
    [parentIds, staffIds],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
