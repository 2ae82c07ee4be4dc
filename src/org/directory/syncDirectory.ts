import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { buildDepartmentTree } from "./departmentTree";
import type { DirectoryMember, DirectorySource } from "./directorySource";
import { writeStaff } from "./mirrorWrites";
import { StaffStatus } from "./staffStatus";
import { returnedRows } from "../../platform/db/returnedRows";

export class DirectorySyncRefused extends Error {
  constructor(reason: string) {
    super(`directory sync refused: ${reason}; nothing was applied`);
  }
}

const massDepartureGuard = { minimum: 10, share: 0.5 };

export interface DirectorySyncReport {
  departments: number;
  members: number;
  departmentsRemoved: number;
  membersMarkedLeft: number;
  orphanDepartments: number[];
}

/**
 * Full directory sync. Everything is read from WeCom first; only a complete
 * read is applied, in one transaction, so a failed or partial read never
 * marks half the company as gone.
 *
 * The read walks every department: user/list returns a department's direct
 * members only (fetch_child is no longer honoured, path/96260), and a member
 * in several departments appears once per department, so members are merged
 * by userid. A member absent from every list is asked for by userid: 60111
 * (deleted, the normal way a leaver looks, whether or not its delete_user
 * event arrived) or status 5 marks it left; a member WeCom still returns as
 * active is kept, so nobody active is ever marked left.
 */
export async function syncDirectory(
  dataSource: DataSource,
  source: DirectorySource,
  clock: Clock,
  logger: Logger,
): Promise<DirectorySyncReport> {
  // The snapshot's WeCom time: events newer than the start of the read win over what it returns.
  const readAt = clock.now();
  const { nodes, orphans } = buildDepartmentTree(await source.listDepartments());
  const root = nodes.find((n) => n.parentId === null);
  if (!root) throw new DirectorySyncRefused("WeCom returned no root department");
  const members = await readAllMembers(source, nodes.map((n) => n.id));
  const activeRows: { userid: string }[] = await dataSource.query(`SELECT userid FROM staff WHERE status <> $1`, [
    StaffStatus.left,
  ]);
  const unlisted = activeRows.map((r) => r.userid).filter((userid) => !members.has(userid));
  const stillActiveRead = [...members.values()].filter((m) => m.status !== StaffStatus.left).length;
  const active = activeRows.length;
  // The guard compares the true totals: every active member we hold against every active member read.
  const vanishing = active - stillActiveRead;
  if (vanishing > massDepartureGuard.minimum && vanishing > active * massDepartureGuard.share) {
    // A reply that makes most of the company vanish is a bad read, not a mass resignation.
    throw new DirectorySyncRefused(`sync would mark ${vanishing} of ${active} active members as left`);
  }
  // Confirm each absence by userid before believing it (a member can be outside every listed department
  // yet still exist, e.g. moved out of the app's visible range and back). Any other error aborts the sync.
  for (const userid of unlisted) {
    const found = await source.findMember(userid);
    if (found && found.status !== StaffStatus.left) {
      members.set(found.userid, found);
      logger.warn({ userid }, "member missing from every department list but WeCom still knows them: kept");
    }
  }
  const now = clock.now();
  const report = await dataSource.transaction(async (manager) => {
    for (const n of nodes) {
      await manager.query(
        `INSERT INTO department (id, name, parent_id, kind, path, leader_userids, sort_order, removed_at, synced_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,
           kind = CASE WHEN department.kind_locked THEN department.kind ELSE excluded.kind END,
           path = excluded.path, leader_userids = excluded.leader_userids, sort_order = excluded.sort_order,
           removed_at = NULL, synced_at = excluded.synced_at,
           field_times = department.field_times || jsonb_build_object('name', $9::bigint, 'parent_id', $9::bigint, 'sort_order', $9::bigint)`,
        [n.id, n.name, n.parentId, n.kind, n.path, n.leaderUserids, n.order, now, Math.floor(readAt.getTime() / 1000)],
      );
    }
    const removed = await manager.query(
      `UPDATE department SET removed_at = $2 WHERE removed_at IS NULL AND NOT (id = ANY($1::int[])) RETURNING id`,
      [nodes.map((n) => n.id), now],
    );
    for (const m of members.values()) await upsertMember(manager, m, readAt);
    // Absent from the snapshot and not written by any event since the read began (a member created
    // during the read is not a leaver).
    const left = await manager.query(
      `UPDATE staff SET status = $3, left_at = coalesce(left_at, $2),
         field_times = field_times || jsonb_build_object('status', $4::bigint)
       WHERE status <> $3 AND NOT (userid = ANY($1::text[]))
         AND coalesce((SELECT max(value::bigint) FROM jsonb_each_text(field_times)), 0) <= $4
       RETURNING userid`,
      [[...members.keys()], now, StaffStatus.left, Math.floor(readAt.getTime() / 1000)],
    );
    return {
      departments: nodes.length,
      members: members.size,
      departmentsRemoved: returnedRows(removed).length,
      membersMarkedLeft: returnedRows(left).length,
      orphanDepartments: orphans,
    };
  });
  if (orphans.length > 0) logger.warn({ orphans }, "departments with a broken parent chain were skipped");
  logger.info(report, "directory synced");
  return report;
}

/** Departments read at a time: the client bounds concurrency per API family as well. */
const departmentReadsInFlight = 4;

/** Every department's direct members, merged by userid (a member in n departments is listed n times). */
async function readAllMembers(source: DirectorySource, departmentIds: number[]): Promise<Map<string, DirectoryMember>> {
  const members = new Map<string, DirectoryMember>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < departmentIds.length) {
      const id = departmentIds[next++]!;
      for (const m of await source.listMembers(id)) if (!members.has(m.userid)) members.set(m.userid, m);
    }
  }
  await Promise.all(Array.from({ length: Math.min(departmentReadsInFlight, departmentIds.length) }, worker));
  return members;
}

/** One member from the snapshot, each field applied unless an event newer than the read already changed it. */
export async function upsertMember(manager: EntityManager, m: DirectoryMember, readAt: Date): Promise<void> {
  const leaderIn = m.department.filter((_, i) => m.is_leader_in_dept?.[i] === 1);
  await writeStaff(
    manager,
    m.userid,
    {
      name: m.name,
      departmentIds: m.department,
      mainDepartment: m.main_department ?? m.department[0],
      leaderIn,
      position: m.position,
      status: m.status,
    },
    readAt,
  );
}
