import type { EntityManager } from "typeorm";
import { returnedRows } from "../../platform/db/returnedRows";
import type { LocalDate } from "../../platform/localDate";
import type { Scope } from "../policies/scope";
import { scopeSql } from "../policies/scopeSql";
import type { QualificationInput } from "./qualificationCsv";
import { dueDateOf, type QualificationKind } from "./qualificationRules";

export interface QualificationRecord {
  id: string;
  staffUserid: string;
  staffName: string;
  kind: QualificationKind;
  name: string;
  certificateNo: string;
  subject: string | null;
  level: string | null;
  registeredOn: LocalDate | null;
  expiresOn: LocalDate | null;
  dueOn: LocalDate | null;
  /** The teacher's campus (or main department) by name, for lists. */
  departmentName: string | null;
}

export type UpsertOutcome = "created" | "updated" | "unchanged";

/** Who already holds this certificate (name + number), if anyone. */
export async function certificateHolder(manager: EntityManager, name: string, certificateNo: string): Promise<{ userid: string; name: string } | null> {
  const [row] = await manager.query(
    `SELECT q.staff_userid, coalesce(s.name, '') AS name FROM teacher_qualification q LEFT JOIN staff s ON s.userid = q.staff_userid
      WHERE q.name = $1 AND q.certificate_no = $2`,
    [name, certificateNo],
  );
  return row ? { userid: row.staff_userid, name: row.name } : null;
}

/**
 * Records one certificate of a teacher, keyed by certificate (name + number): importing the same file again
 * changes nothing ("unchanged"), a corrected row updates the record. The caller has checked that the
 * certificate is not another teacher's.
 */
export async function upsertQualification(manager: EntityManager, userid: string, q: QualificationInput, by: string, now: Date): Promise<UpsertOutcome> {
  const dueOn = dueDateOf(q);
  const rows: { inserted: boolean; changed: boolean }[] = await manager.query(
    `WITH before AS (SELECT subject, level, registered_on, expires_on, kind FROM teacher_qualification WHERE name = $2 AND certificate_no = $3 AND staff_userid = $1)
     INSERT INTO teacher_qualification (staff_userid, kind, name, certificate_no, subject, level, registered_on, expires_on, due_on, updated_by, updated_at)
     VALUES ($1, $4, $2, $3, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (name, certificate_no) DO UPDATE SET kind = excluded.kind, subject = excluded.subject, level = excluded.level,
       registered_on = excluded.registered_on, expires_on = excluded.expires_on, due_on = excluded.due_on,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at
       WHERE teacher_qualification.staff_userid = excluded.staff_userid
         AND (teacher_qualification.kind, teacher_qualification.subject, teacher_qualification.level, teacher_qualification.registered_on, teacher_qualification.expires_on)
             IS DISTINCT FROM (excluded.kind, excluded.subject, excluded.level, excluded.registered_on, excluded.expires_on)
     RETURNING (xmax = 0) AS inserted, true AS changed`,
    [userid, q.name, q.certificateNo, q.kind, q.subject, q.level, q.registeredOn, q.expiresOn, dueOn, by, now],
  );
  if (rows.length === 0) return "unchanged";
  return rows[0]!.inserted ? "created" : "updated";
}

export async function deleteQualification(manager: EntityManager, id: string): Promise<boolean> {
  return returnedRows(await manager.query(`DELETE FROM teacher_qualification WHERE id = $1::bigint RETURNING id`, [id])).length > 0;
}

export async function qualificationOwner(manager: EntityManager, id: string): Promise<string | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await manager.query(`SELECT staff_userid FROM teacher_qualification WHERE id = $1::bigint`, [id]);
  return row?.staff_userid ?? null;
}

const SELECT = `SELECT q.id::text, q.staff_userid, coalesce(s.name, q.staff_userid) AS staff_name, q.kind, q.name, q.certificate_no, q.subject, q.level,
       to_char(q.registered_on, 'YYYY-MM-DD') AS registered_on, to_char(q.expires_on, 'YYYY-MM-DD') AS expires_on, to_char(q.due_on, 'YYYY-MM-DD') AS due_on,
       (SELECT d.name FROM department d WHERE d.id = coalesce(s.main_department, s.department_ids[1])) AS department_name
  FROM teacher_qualification q LEFT JOIN staff s ON s.userid = q.staff_userid`;

function toRecord(r: Record<string, string | null>): QualificationRecord {
  return {
    id: r.id!,
    staffUserid: r.staff_userid!,
    staffName: r.staff_name!,
    kind: r.kind as QualificationKind,
    name: r.name!,
    certificateNo: r.certificate_no!,
    subject: r.subject,
    level: r.level,
    registeredOn: r.registered_on,
    expiresOn: r.expires_on,
    dueOn: r.due_on,
    departmentName: r.department_name,
  };
}

/** Every record the scope covers, soonest due first (records without a date last). */
export async function listQualifications(manager: EntityManager, scope: Scope): Promise<QualificationRecord[]> {
  const s = scopeSql(scope, 1);
  const rows = await manager.query(`${SELECT} WHERE ${s.staff("q.staff_userid")} ORDER BY q.due_on NULLS LAST, s.name, q.id`, s.params);
  return rows.map(toRecord);
}

export async function qualificationsOf(manager: EntityManager, userid: string): Promise<QualificationRecord[]> {
  const rows = await manager.query(`${SELECT} WHERE q.staff_userid = $1 ORDER BY q.kind DESC, q.name, q.id`, [userid]);
  return rows.map(toRecord);
}

export async function qualificationById(manager: EntityManager, id: string): Promise<QualificationRecord | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await manager.query(`${SELECT} WHERE q.id = $1::bigint`, [id]);
  return row ? toRecord(row) : null;
}

/** Records whose date falls between two days (inclusive): the daily reminder pass reads these. */
export async function qualificationsDueBetween(manager: EntityManager, from: LocalDate, to: LocalDate): Promise<QualificationRecord[]> {
  const rows = await manager.query(`${SELECT} WHERE q.due_on BETWEEN $1::date AND $2::date ORDER BY q.due_on, q.id`, [from, to]);
  return rows.map(toRecord);
}

/** The subjects each teacher holds a 教师资格证 for (successor choice prefers them). */
export async function certificateSubjects(manager: EntityManager, userids: string[]): Promise<Map<string, string[]>> {
  const rows: { staff_userid: string; subjects: string[] }[] = await manager.query(
    `SELECT staff_userid, array_agg(DISTINCT subject ORDER BY subject) AS subjects FROM teacher_qualification
      WHERE kind = 'teacher_certificate' AND staff_userid = ANY($1) GROUP BY staff_userid`,
    [userids],
  );
  return new Map(rows.map((r) => [r.staff_userid, r.subjects]));
}
