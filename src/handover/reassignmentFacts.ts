import type { EntityManager } from "typeorm";

export interface ReassignmentProblem {
  kind: "parent" | "group";
  id: string;
  successorUserid: string;
  status: string;
  reason: string | null;
  errcode: number | null;
}

export interface ReassignmentFacts {
  parentsTotal: number;
  parentsTransferred: number;
  groupsTotal: number;
  groupsTransferred: number;
  /** Parents and groups that ended without reaching a successor, or have none: they need HR. */
  problems: ReassignmentProblem[];
}

/**
 * What the handover checklist's automatic items ("all parents transferred",
 * "all groups transferred") verify themselves from: WeCom's results as
 * recorded, never our intentions.
 */
export async function reassignmentFacts(manager: EntityManager, leaverUserid: string): Promise<ReassignmentFacts> {
  const [counts] = await manager.query(
    `SELECT
       (SELECT count(*)::int FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'parent') AS parents_total,
       (SELECT count(DISTINCT external_userid)::int FROM customer_transfer WHERE leaver_userid = $1 AND status = 'done') AS parents_transferred,
       (SELECT count(*)::int FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'group') AS groups_total,
       (SELECT count(*)::int FROM group_transfer WHERE leaver_userid = $1 AND status = 'done') AS groups_transferred`,
    [leaverUserid],
  );
  const problems: ReassignmentProblem[] = await manager.query(
    `SELECT 'parent' AS kind, t.external_userid AS id, t.successor_userid AS "successorUserid", t.status, t.failure_reason AS reason, t.errcode
     FROM customer_transfer t
     WHERE t.leaver_userid = $1 AND t.superseded_at IS NULL
       AND (t.status IN ('refused','successor_over_limit') OR (t.status = 'failed' AND NOT t.retryable))
       AND NOT EXISTS (SELECT 1 FROM customer_transfer d WHERE d.leaver_userid = t.leaver_userid AND d.external_userid = t.external_userid AND d.status = 'done')
     UNION ALL
     SELECT 'group', chat_id, new_owner, status, errmsg, errcode FROM group_transfer WHERE leaver_userid = $1 AND status = 'failed'
     UNION ALL
     SELECT kind, item_id, '', 'no_successor', '没有可接替的老师', NULL FROM reassignment_item WHERE leaver_userid = $1 AND successor_userid IS NULL
     ORDER BY 1, 2`,
    [leaverUserid],
  );
  return {
    parentsTotal: counts.parents_total,
    parentsTransferred: counts.parents_transferred,
    groupsTotal: counts.groups_total,
    groupsTransferred: counts.groups_transferred,
    problems,
  };
}

/** Of these parents, the ones WeCom confirmed as handed from the leaver to a successor. */
export async function parentsTransferredAway(manager: EntityManager, leaverUserid: string, externalUserids: string[]): Promise<Set<string>> {
  const rows: { external_userid: string }[] = await manager.query(
    `SELECT DISTINCT external_userid FROM customer_transfer WHERE leaver_userid = $1 AND status = 'done' AND external_userid = ANY($2)`,
    [leaverUserid, externalUserids],
  );
  return new Set(rows.map((r) => r.external_userid));
}

/** The group chats of a leaver's plan, each with whether (and when) WeCom confirmed its new owner. */
export async function planGroupChats(manager: EntityManager, leaverUserid: string): Promise<{ chatId: string; transferredAt: Date | null }[]> {
  const rows: { chat_id: string; transferred_at: Date | null }[] = await manager.query(
    `SELECT i.item_id AS chat_id, CASE WHEN g.status = 'done' THEN coalesce(g.transferred_at, g.updated_at) END AS transferred_at
       FROM reassignment_item i LEFT JOIN group_transfer g ON g.leaver_userid = i.leaver_userid AND g.chat_id = i.item_id
      WHERE i.leaver_userid = $1 AND i.kind = 'group' ORDER BY i.item_id`,
    [leaverUserid],
  );
  return rows.map((r) => ({ chatId: r.chat_id, transferredAt: r.transferred_at }));
}
