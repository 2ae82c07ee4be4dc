import type { EntityManager } from "typeorm";
import { boardLine, type BoardLine } from "./boardStatus";

export interface BoardRow extends BoardLine {
  kind: "parent" | "group";
  id: string;
  successorUserid: string | null;
}

/**
 * Every parent and group of a leaver's plan with where its transfer stands,
 * from WeCom's recorded results (the current, not superseded, transfer).
 */
export async function transferBoard(manager: EntityManager, leaverUserid: string): Promise<BoardRow[]> {
  const rows: {
    kind: "parent" | "group";
    item_id: string;
    successor_userid: string | null;
    t_successor: string | null;
    status: string | null;
    retryable: boolean | null;
    takeover_at: Date | null;
    retry_after: Date | null;
    failure_reason: string | null;
  }[] = await manager.query(
    `SELECT i.kind, i.item_id, i.successor_userid, t.successor_userid AS t_successor, t.status, t.retryable, t.takeover_at, t.retry_after, t.failure_reason
       FROM reassignment_item i
       LEFT JOIN LATERAL (
         SELECT c.successor_userid, c.status, c.retryable, c.takeover_at, c.retry_after, c.failure_reason FROM customer_transfer c
          WHERE i.kind = 'parent' AND c.leaver_userid = i.leaver_userid AND c.external_userid = i.item_id AND c.superseded_at IS NULL
          ORDER BY c.requested_at DESC, c.id DESC LIMIT 1
       ) t ON true
      WHERE i.leaver_userid = $1 AND i.kind = 'parent'
     UNION ALL
     SELECT 'group', i.item_id, i.successor_userid, g.new_owner, CASE g.status WHEN 'planned' THEN CASE WHEN g.call_id IS NULL THEN NULL ELSE 'requested' END ELSE g.status END,
            false, g.transferred_at, NULL, g.errmsg
       FROM reassignment_item i LEFT JOIN group_transfer g ON g.leaver_userid = i.leaver_userid AND g.chat_id = i.item_id
      WHERE i.leaver_userid = $1 AND i.kind = 'group'
      ORDER BY 1 DESC, 2`,
    [leaverUserid],
  );
  return rows.map((r) => ({
    kind: r.kind,
    id: r.item_id,
    // Once a transfer is under way, its successor is the one that counts.
    successorUserid: r.t_successor ?? r.successor_userid,
    ...boardLine({
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
    }),
  }));
}
