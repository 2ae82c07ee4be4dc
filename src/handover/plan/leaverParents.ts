import type { EntityManager } from "typeorm";

/** The parents a leaver follows today: what a handover starts from. */
export async function activeParents(manager: EntityManager, leaverUserid: string): Promise<string[]> {
  const rows: { external_userid: string }[] = await manager.query(
    `SELECT external_userid FROM follow_relation WHERE staff_userid = $1 AND status = 'active' ORDER BY external_userid`,
    [leaverUserid],
  );
  return rows.map((r) => r.external_userid);
}
