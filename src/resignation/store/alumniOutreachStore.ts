import type { EntityManager } from "typeorm";
import type { OutboxOutcome } from "../../wecom";

/** The outbox reference kind of an alumni 群发 (ref.sendId is its alumni_outreach_send id). */
export const ALUMNI_OUTREACH_KIND = "alumni_outreach";

/** get_groupmsg_list_v2 reaches back one month (path/93338): the span within which a repeat is recognised. */
const SAME_WORDS_WINDOW_MS = 31 * 86_400_000;

/**
 * Who among `userids` already has a 群发 of exactly these words on this topic that stands — queued,
 * created at WeCom, or of unknown outcome (it may exist) — in the last month, and since when.
 * A send WeCom refused does not count: it reached nobody.
 */
export async function sameWordsSentTo(m: EntityManager, topic: string, content: string, userids: string[], now: Date): Promise<Map<string, Date>> {
  const rows: { userid: string; at: Date }[] = await m.query(
    `SELECT r.userid, min(s.created_at) AS at FROM alumni_outreach_send s CROSS JOIN LATERAL unnest(s.recipients) AS r(userid)
      WHERE s.topic = $1 AND s.content = $2 AND s.outcome IN ('queued', 'sent', 'unknown') AND s.created_at > $3 AND r.userid = ANY($4)
      GROUP BY r.userid`,
    [topic, content, new Date(now.getTime() - SAME_WORDS_WINDOW_MS), userids],
  );
  return new Map(rows.map((r) => [r.userid, r.at]));
}

/**
 * The outbox's final word on an alumni 群发, in the transaction that closes its row: the task's msgid
 * (created now, or found in WeCom's records after a lost answer), WeCom's fail_list, or its refusal.
 */
export async function recordOutreachOutcome(m: EntityManager, o: OutboxOutcome): Promise<void> {
  const sendId = o.ref.sendId;
  if (typeof sendId !== "string") return;
  await m.query(
    `UPDATE alumni_outreach_send SET outcome = $2, wecom_msgid = $3, errcode = $4, fail_list = $5, outcome_at = $6 WHERE id = $1`,
    [sendId, o.outcome, o.msgid, o.outcome === "sent" ? 0 : o.errcode, o.detail?.failList ?? [], o.at],
  );
}
