import type { EntityManager } from "typeorm";
import { boardLine, type BoardLine } from "./boardStatus";
import { responsibleHr } from "../../org";
import { followUpTask, type FollowUpTask } from "./followUpTask";

export interface BoardRow extends BoardLine {
  kind: "parent" | "group";
  id: string;
  leaverUserid: string;
  successorUserid: string | null;
  /** A transfer that did not go through: who must act (the successor or HR) and how. */
  followUp: (FollowUpTask & { ownerUserids: string[] }) | null;
}

/** One leaver's whole plan (HR's board), or every parent and group planned for or handed to one successor (their own page). */
export type BoardSubject = { leaver: string } | { successor: string };

/**
 * Every parent and group of a leaver's plan (or of a successor's inheritance)
 * with where its transfer stands, from WeCom's recorded results (the current,
 * not superseded, transfer).
 */
export async function transferBoard(manager: EntityManager, subject: string | BoardSubject): Promise<BoardRow[]> {
  const by: BoardSubject = typeof subject === "string" ? { leaver: subject } : subject;
  // Once a transfer is under way, its successor is the one that counts: a successor's rows are matched on that.
  const filter = "leaver" in by ? "b.leaver_userid = $1" : "COALESCE(b.t_successor, b.successor_userid) = $1";
  const rows: {
    kind: "parent" | "group";
    item_id: string;
    leaver_userid: string;
    successor_userid: string | null;
    t_successor: string | null;
    status: string | null;
    retryable: boolean | null;
    takeover_at: Date | null;
    retry_after: Date | null;
    failure_reason: string | null;
  }[] = await manager.query(
    `SELECT b.* FROM (
     SELECT i.kind, i.item_id, i.leaver_userid, i.successor_userid, t.successor_userid AS t_successor, t.status, t.retryable, t.takeover_at, t.retry_after, t.failure_reason
       FROM reassignment_item i
       LEFT JOIN LATERAL (
         SELECT c.successor_userid, c.status, c.retryable, c.takeover_at, c.retry_after, c.failure_reason FROM customer_transfer c
          WHERE i.kind = 'parent' AND c.leaver_userid = i.leaver_userid AND c.external_userid = i.item_id AND c.superseded_at IS NULL
          ORDER BY c.requested_at DESC, c.id DESC LIMIT 1
       ) t ON true
      WHERE i.kind = 'parent'
     UNION ALL
     SELECT 'group', i.item_id, i.leaver_userid, i.successor_userid, g.new_owner, CASE g.status WHEN 'planned' THEN CASE WHEN g.call_id IS NULL THEN NULL ELSE 'requested' END ELSE g.status END,
            false, g.transferred_at, NULL, g.errmsg
       FROM reassignment_item i LEFT JOIN group_transfer g ON g.leaver_userid = i.leaver_userid AND g.chat_id = i.item_id
      WHERE i.kind = 'group'
     ) b WHERE ${filter}
      ORDER BY b.kind DESC, b.leaver_userid, b.item_id`,
    ["leaver" in by ? by.leaver : by.successor],
  );
  // HR of the leaver's campus answers for what the successor cannot fix (one lookup per leaver).
  const hrOf = new Map<string, Promise<string[]>>();
  const hr = (leaver: string) => {
    if (!hrOf.has(leaver)) hrOf.set(leaver, responsibleHr(manager, leaver));
    return hrOf.get(leaver)!;
  };
  return Promise.all(rows.map(async (r) => {
    const line = boardLine({
      successorUserid: r.successor_userid,
      ...(r.status
        ? {
            transfer: {
              status: r.status as NonNullable<Parameters<typeof boardLine>[0]["transfer"]>["status"],
              retryable: r.retryable ?? false,
              takeoverAt: r.takeover_at,
              retryAfter: r.retry_after,
              failureReason: r.failure_reason,
            },
          }
        : {}),
    });
    const task = followUpTask(line.state, r.status === "failed" && (r.retryable ?? false));
    const successor = r.t_successor ?? r.successor_userid;
    const ownerUserids = !task ? [] : task.owner === "successor" && successor ? [successor] : await hr(r.leaver_userid);
    return {
      kind: r.kind,
      id: r.item_id,
      leaverUserid: r.leaver_userid,
      successorUserid: successor,
      ...line,
      followUp: task ? { ...task, ownerUserids } : null,
    };
  }));
}
