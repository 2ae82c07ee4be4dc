import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { buildDepartmentTree } from "./departmentTree";
import type { DirectoryMember, DirectorySource } from "./directorySource";
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
 */
export async function syncDirectory(
  dataSource: DataSource,
  source: DirectorySource,
  clock: Clock,
  logger: Logger,
): Promise<DirectorySyncReport> {
  const { nodes, orphans } = buildDepartmentTree(await source.listDepartments());
  const root = nodes.find((n) => n.parentId === null);
  if (!root) throw new DirectorySyncRefused("WeCom returned no root department");
  const members = new Map<string, DirectoryMember>();
  for (const m of await source.listMembers(root.id)) members.set(m.userid, m);
  const now = clock.now();
  const report = await dataSource.transaction(async (manager) => {
    for (const n of nodes) {
      await manager.query(
        `INSERT INTO department (id, name, parent_id, kind, path, leader_userids, sort_order, removed_at, synced_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,
           kind = CASE WHEN department.kind_locked THEN department.kind ELSE excluded.kind END,
           path = excluded.path, leader_userids = excluded.leader_userids, sort_order = excluded.sort_order,
           removed_at = NULL, synced_at = excluded.synced_at`,
        [n.id, n.name, n.parentId, n.kind, n.path, n.leaderUserids, n.order, now],
      );
    }
    const removed = await manager.query(
      `UPDATE department SET removed_at = $2 WHERE removed_at IS NULL AND NOT (id = ANY($1::int[])) RETURNING id`,
      [nodes.map((n) => n.id), now],
    );
    for (const m of members.values()) await upsertMember(manager, m, now);
    const [{ active }] = await manager.query(`SELECT count(*)::int AS active FROM staff WHERE status <> $1`, [StaffStatus.left]);
    const vanishing = active - [...members.values()].filter((m) => m.status !== StaffStatus.left).length;
    if (vanishing > massDepartureGuard.minimum && vanishing > active * massDepartureGuard.share) {
      // A reply that makes most of the company vanish is a bad read, not a mass resignation.
      throw new DirectorySyncRefused(`sync would mark ${vanishing} of ${active} active members as left`);
    }
    const left = await manager.query(
      `UPDATE staff SET status = $3, left_at = coalesce(left_at, $2)
       WHERE status <> $3 AND NOT (userid = ANY($1::text[])) RETURNING userid`,
      [[...members.keys()], now, StaffStatus.left],
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

export async function upsertMember(manager: EntityManager, m: DirectoryMember, now: Date): Promise<void> {
  const leaderIn = m.department.filter((_, i) => m.is_leader_in_dept?.[i] === 1);
  await manager.query(
    `INSERT INTO staff (userid, name, department_ids, main_department, leader_in_departments, position, status, left_at, synced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::smallint, CASE WHEN $7::smallint = ${StaffStatus.left} THEN $8::timestamptz END, $8)
     ON CONFLICT (userid) DO UPDATE SET name = excluded.name, department_ids = excluded.department_ids,
       main_department = excluded.main_department, leader_in_departments = excluded.leader_in_departments,
       position = coalesce(excluded.position, staff.position), status = excluded.status,
       left_at = CASE WHEN excluded.status = ${StaffStatus.left} THEN coalesce(staff.left_at, excluded.left_at) ELSE NULL END,
       synced_at = excluded.synced_at`,
    [m.userid, m.name, m.department, m.main_department ?? m.department[0] ?? null, leaderIn, m.position ?? null, m.status, now],
  );
}
