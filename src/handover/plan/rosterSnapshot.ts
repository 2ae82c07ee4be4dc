import type { EntityManager } from "typeorm";
import type { ClassRole, Handoverable, Teacher } from "../rules/roster";
import { certificateSubjects, StaffStatus } from "../../org";
import { successorRefusal } from "../rules/successorEligibility";
import { fromInstant } from "../../platform/localDate";

/** Everything successor choice needs about one leaver, read from the directory and the class roster. */
export interface RosterSnapshot {
  leaver: Teacher;
  leaverName: string;
  roster: Teacher[];
  campusHeads: Record<string, string>;
  /** Classes that tie each parent to the leaver (all of the parent's classes when none is the leaver's). */
  parents: Handoverable[];
}

const campusOf = `coalesce((SELECT c.id FROM department d JOIN department c ON c.id = ANY(d.path) AND c.kind = 'campus'
                            WHERE d.id = s.main_department ORDER BY array_position(d.path, c.id) DESC LIMIT 1), s.main_department)`;

interface StaffRow {
  userid: string;
  name: string;
  subject: string | null;
  status: number;
  campus_id: number | null;
  leaving: boolean;
  parent_count: number;
  classes: { classId: string; role: ClassRole; subject: string | null }[] | null;
}

/**
 * `customerContactRange`: the members WeCom lists in the 客户联系 range (null = unknown). Every roster teacher
 * carries the reason WeCom would refuse them as a successor, if any.
 */
export async function loadRosterSnapshot(
  manager: EntityManager,
  leaverUserid: string,
  parentIds: string[],
  now: Date,
  customerContactRange: string[] | null = null,
): Promise<RosterSnapshot> {
  const [leaverRow] = await staffRows(manager, `s.userid = $1`, [leaverUserid]);
  const leaver = leaverRow ? toTeacher(leaverRow) : { userId: leaverUserid, campusId: "", subjects: [], classes: [], status: "left" as const, parentCount: 0 };
  const leaverClasses = new Set(leaver.classes.map((c) => c.classId));

  const classRows: { external_userid: string; class_codes: string[] }[] = await manager.query(
    `SELECT ps.external_userid, array_agg(DISTINCT st.class_code ORDER BY st.class_code) AS class_codes
     FROM parent_student ps JOIN student st ON st.code = ps.student_code
     WHERE ps.external_userid = ANY($1) AND st.class_code IS NOT NULL GROUP BY ps.external_userid`,
    [parentIds],
  );
  const classesOf = new Map(classRows.map((r) => [r.external_userid, r.class_codes]));
  const parents = parentIds.map((id) => {
    const all = classesOf.get(id) ?? [];
    const shared = all.filter((c) => leaverClasses.has(c));
    return { id, classIds: shared.length > 0 ? shared : all };
  });
  const parentClasses = [...new Set(parents.flatMap((p) => p.classIds))];

  const roster = (
    await staffRows(
      manager,
      `s.userid <> $1 AND (${campusOf} = $2 OR s.userid IN (SELECT staff_userid FROM class_teacher WHERE class_code = ANY($3)))`,
      [leaverUserid, leaverRow?.campus_id ?? -1, parentClasses],
    )
  ).map(toTeacher);

  const heads: { campus_id: number; userid: string }[] = await manager.query(
    `SELECT d.id AS campus_id, coalesce(
        (SELECT g.userid FROM role_grant g WHERE g.role = 'campus_head' AND g.department_id = d.id ORDER BY g.id LIMIT 1),
        d.leader_userids[1]) AS userid
     FROM department d WHERE d.id = $1`,
    [leaverRow?.campus_id ?? -1],
  );
  const campusHeads = Object.fromEntries(heads.filter((h) => h.userid).map((h) => [String(h.campus_id), h.userid]));
  // The campus head may sit outside the campus subtree (e.g. at region level): make sure they are on the roster.
  for (const head of Object.values(campusHeads)) {
    if (head !== leaverUserid && !roster.some((t) => t.userId === head)) {
      const [row] = await staffRows(manager, `s.userid = $1`, [head]);
      if (row) roster.push(toTeacher(row));
    }
  }
  // Successor choice prefers a teacher certified for the leaver's subject today (org's records; a lapsed
  // registration no longer counts), the day taken from the caller's clock.
  const certificates = await certificateSubjects(manager, roster.map((t) => t.userId), fromInstant(now));
  for (const t of roster) {
    const subjects = certificates.get(t.userId);
    if (subjects) t.certificateSubjects = subjects;
  }
  const range = customerContactRange ? new Set(customerContactRange) : null;
  const names = new Map((await manager.query(`SELECT userid, name FROM staff WHERE userid = ANY($1)`, [roster.map((t) => t.userId)]) as { userid: string; name: string }[]).map((r) => [r.userid, r.name]));
  for (const t of roster) {
    const refusal = successorRefusal({
      name: names.get(t.userId) ?? "该老师",
      status: t.status,
      inCustomerContactRange: range ? range.has(t.userId) : null,
      customers: t.parentCount,
    });
    if (refusal) t.refusal = refusal;
  }
  return { leaver, leaverName: leaverRow?.name ?? leaverUserid, roster, campusHeads, parents };
}

async function staffRows(manager: EntityManager, where: string, params: unknown[]): Promise<StaffRow[]> {
  return manager.query(
    `SELECT s.userid, s.name, s.subject, s.status, ${campusOf} AS campus_id,
            EXISTS (SELECT 1 FROM resignation_case rc WHERE rc.employee_userid = s.userid AND rc.state NOT IN ('closed','withdrawn')) AS leaving,
            (SELECT count(*)::int FROM follow_relation f WHERE f.staff_userid = s.userid AND f.status = 'active') AS parent_count,
            (SELECT json_agg(json_build_object('classId', ct.class_code, 'role', ct.role, 'subject', ct.subject) ORDER BY ct.class_code)
               FROM class_teacher ct WHERE ct.staff_userid = s.userid) AS classes
     FROM staff s WHERE ${where}`,
    params,
  );
}

function toTeacher(r: StaffRow): Teacher {
  const classes = r.classes ?? [];
  const subjects = [...new Set([r.subject, ...classes.map((c) => c.subject)].filter((s): s is string => !!s))];
  return {
    userId: r.userid,
    campusId: r.campus_id === null ? "" : String(r.campus_id),
    subjects,
    classes: classes.map((c) => ({ classId: c.classId, role: c.role })),
    status: r.status === StaffStatus.left ? "left" : r.leaving ? "leaving" : "active",
    parentCount: r.parent_count,
  };
}

/** Why WeCom would refuse this member as a successor (null = eligible), from the directory and the plan's 客户联系 range. */
export async function successorRefusalOf(manager: EntityManager, userid: string, customerContactRange: string[] | null): Promise<string | null> {
  const [row] = await staffRows(manager, `s.userid = $1`, [userid]);
  if (!row) return "企业微信通讯录中没有这位老师";
  const t = toTeacher(row);
  return successorRefusal({
    name: row.name,
    status: t.status,
    inCustomerContactRange: customerContactRange ? customerContactRange.includes(userid) : null,
    customers: t.parentCount,
  });
}
