import type { EntityManager } from "typeorm";
import type { InheritedThreads, InheritedThreadsSource } from "../conversations";

/**
 * 记录继承: the predecessors whose history with parents a successor may read —
 * only parents whose transfer to this successor is done (WeCom confirmed it).
 * Shaped for the conversation policy's `inheritedBy`.
 */
export const inheritedThreads: InheritedThreadsSource = async (manager: EntityManager, successorUserid: string): Promise<InheritedThreads[]> => {
  const rows: { predecessor: string; external_userids: string[] }[] = await manager.query(
    `SELECT leaver_userid AS predecessor, array_agg(DISTINCT external_userid ORDER BY external_userid) AS external_userids
     FROM customer_transfer WHERE successor_userid = $1 AND status = 'done' GROUP BY leaver_userid ORDER BY leaver_userid`,
    [successorUserid],
  );
  return rows.map((r) => ({ predecessor: r.predecessor, externalUserIds: r.external_userids }));
};
