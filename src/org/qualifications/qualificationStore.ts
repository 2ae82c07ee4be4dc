import type { EntityManager } from "typeorm";
import { returnedRows } from "../../platform/db/returnedRows";
import type { LocalDate } from "../../platform/localDate";
import type { Scope } from "../policies/scope";
import { scopeSql } from "../policies/scopeSql";
import type { QualificationInput } from "./qualificationCsv";
import { certifiedSubjectsOn, dueDateOf, type QualificationKind, type SubjectCertificate } from "./qualificationRules";

/** A stored record: the fields HR enters, whose it is, and the derived next due date. */
export interface QualificationRecord extends QualificationInput {
  id: string;
  staffUserid: string;
  staffName: string;
  dueOn: LocalDate | null;
  /** The teacher's campus (or main department) by name, for lists. */
  departmentName: string | null;
}

export type UpsertOutcome = "created" | "updated" | "unchanged";

/** Who already holds this certificate (name + number), if anyone. */
export async function certificateHolder(manager: EntityManager, name: string, certificateNo: string): Promise<{ id: string; userid: string; name: string } | null> {
  const [row] = await manager.query(
    `SELECT q.id::text, q.staff_userid, coalesce(s.name, '') AS name FROM teacher_qualification q LEFT JOIN staff s ON s.userid = q.staff_userid
      WHERE q.name = $1 AND q.certificate_no = $2`,
    [name, certificateNo],
  );
  return row ? { id: row.id, userid: row.staff_userid, name: row.name } : null;
}

/** The fields HR enters, as the change log keeps them before and after. */
type Snapshot = QualificationInput;

const SNAPSHOT_COLUMNS = `id::text, staff_userid, kind, name, certificate_no, subject, level,
  to_char(registered_on, 'YYYY-MM-DD') AS registered_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on`;

function snapshotOf(r: Record<string, string | null>): Snapshot {
  return {
    kind: r.kind as QualificationKind,
    name: r.name!,
    certificateNo: r.certificate_no!,
    subject: r.subject,
    level: r.level,
    registeredOn: r.registered_on,
    expiresOn: r.expires_on,
  };
}

const sameSnapshot = (a: Snapshot, b: Snapshot) =>
  a.kind === b.kind && a.name === b.name && a.certificateNo === b.certificateNo && a.subject === b.subject && a.level === b.level && a.registeredOn === b.registeredOn && a.expiresOn === b.expiresOn;

/** One line of the change log: who did what to which record, with the record before and after. */
async function logChange(
  manager: EntityManager,
  change: { id: string; staffUserid: string; action: "created" | "updated" | "deleted"; before: Snapshot | null; after: Snapshot | null; by: string; at: Date },
): Promise<void> {
  await manager.query(
    `INSERT INTO teacher_qualification_change (qualification_id, staff_userid, action, before, after, changed_by, changed_at) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7)`,
    [change.id, change.staffUserid, change.action, change.before ? JSON.stringify(change.before) : null, change.after ? JSON.stringify(change.after) : null, change.by, change.at],
  );
}

export interface WriteResult {
  outcome: UpsertOutcome;
  before: Snapshot | null;
  after: Snapshot;
}

/**
 * Records one certificate of a teacher, keyed by certificate (name + number): importing the same file again
 * changes nothing ("unchanged"), a corrected row updates the record. The caller has checked that the
 * certificate is not another teacher's. Every create and update is logged with who and what.
 */
export async function upsertQualification(manager: EntityManager, userid: string, q: QualificationInput, by: string, now: Date): Promise<UpsertOutcome> {
  return (await writeQualification(manager, userid, q, by, now)).outcome;
}

export async function writeQualification(manager: EntityManager, userid: string, q: QualificationInput, by: string, now: Date): Promise<WriteResult> {
  const after: Snapshot = { kind: q.kind, name: q.name, certificateNo: q.certificateNo, subject: q.subject, level: q.level, registeredOn: q.registeredOn, expiresOn: q.expiresOn };
  // A duplicated request racing this one inserts the same certificate: the loser finds it and updates instead.
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO teacher_qualification (staff_userid, kind, name, certificate_no, subject, level, registered_on, expires_on, due_on, updated_by, updated_at)
     VALUES ($1, $4, $2, $3, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (name, certificate_no) DO NOTHING RETURNING id::text`,
    [userid, q.name, q.certificateNo, q.kind, q.subject, q.level, q.registeredOn, q.expiresOn, dueDateOf(q), by, now],
  );
  if (inserted[0]) {
    await logChange(manager, { id: inserted[0].id, staffUserid: userid, action: "created", before: null, after, by, at: now });
    return { outcome: "created", before: null, after };
  }
  const [row] = await manager.query(`SELECT ${SNAPSHOT_COLUMNS} FROM teacher_qualification WHERE name = $1 AND certificate_no = $2 FOR UPDATE`, [q.name, q.certificateNo]);
  if (!row || row.staff_userid !== userid) return { outcome: "unchanged", before: row ? snapshotOf(row) : null, after };
  const before = snapshotOf(row);
  if (sameSnapshot(before, after)) return { outcome: "unchanged", before, after };
  await updateRow(manager, row.id, after, by, now);
  await logChange(manager, { id: row.id, staffUserid: userid, action: "updated", before, after, by, at: now });
  return { outcome: "updated", before, after };
}

async function updateRow(manager: EntityManager, id: string, q: Snapshot, by: string, now: Date): Promise<void> {
  await manager.query(
    `UPDATE teacher_qualification SET kind = $2, name = $3, certificate_no = $4, subject = $5, level = $6, registered_on = $7, expires_on = $8, due_on = $9,
       updated_by = $10, updated_at = $11 WHERE id = $1::bigint`,
    [id, q.kind, q.name, q.certificateNo, q.subject, q.level, q.registeredOn, q.expiresOn, dueDateOf(q), by, now],
  );
}

/**
 * Edits one record in place (the console's edit form): any field, the certificate's name and number
 * included. The caller has authorized the change and checked that the new name + number is nobody else's.
 */
export async function editQualification(manager: EntityManager, id: string, q: QualificationInput, by: string, now: Date): Promise<WriteResult & { staffUserid: string }> {
  const [row] = await manager.query(`SELECT ${SNAPSHOT_COLUMNS} FROM teacher_qualification WHERE id = $1::bigint FOR UPDATE`, [id]);
  if (!row) throw new Error(`qualification ${id} vanished under its lock`);
  const before = snapshotOf(row);
  const after: Snapshot = { kind: q.kind, name: q.name, certificateNo: q.certificateNo, subject: q.subject, level: q.level, registeredOn: q.registeredOn, expiresOn: q.expiresOn };
  if (sameSnapshot(before, after)) return { outcome: "unchanged", before, after, staffUserid: row.staff_userid };
  await updateRow(manager, id, after, by, now);
  await logChange(manager, { id, staffUserid: row.staff_userid, action: "updated", before, after, by, at: now });
  return { outcome: "updated", before, after, staffUserid: row.staff_userid };
}

/** Removes a record and logs it (with what it was); false when it was already gone. */
export async function deleteQualification(manager: EntityManager, id: string, by: string, now: Date): Promise<boolean> {
  const [row] = returnedRows<Record<string, string | null>>(
    await manager.query(
      `DELETE FROM teacher_qualification WHERE id = $1::bigint RETURNING id::text, staff_userid, kind, name, certificate_no, subject, level,
         to_char(registered_on, 'YYYY-MM-DD') AS registered_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on`,
      [id],
    ),
  );
  if (!row) return false;
  await logChange(manager, { id, staffUserid: row.staff_userid!, action: "deleted", before: snapshotOf(row), after: null, by, at: now });
  return true;
}

export interface QualificationChange {
  action: "created" | "updated" | "deleted";
  before: Snapshot | null;
  after: Snapshot | null;
  changedBy: string;
  changedByName: string;
  changedAt: Date;
}

/** A record's history, newest first, with the names of who changed it. */
export async function changesOf(manager: EntityManager, id: string): Promise<QualificationChange[]> {
  const rows: { action: QualificationChange["action"]; before: Snapshot | null; after: Snapshot | null; changed_by: string; name: string | null; changed_at: Date }[] = await manager.query(
    `SELECT c.action, c.before, c.after, c.changed_by, s.name, c.changed_at FROM teacher_qualification_change c LEFT JOIN staff s ON s.userid = c.changed_by
      WHERE c.qualification_id = $1::bigint ORDER BY c.id DESC LIMIT 50`,
    [id],
  );
  return rows.map((r) => ({ action: r.action, before: r.before, after: r.after, changedBy: r.changed_by, changedByName: r.name ?? "已离开通讯录的成员", changedAt: r.changed_at }));
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
    ...snapshotOf(r),
    dueOn: r.due_on,
    departmentName: r.department_name,
  };
}

/** Every record the scope covers, and the reader's own, soonest due first (records without a date last). */
export async function listQualifications(manager: EntityManager, scope: Scope, ownUserid: string): Promise<QualificationRecord[]> {
  const s = scopeSql(scope, 2);
  const rows = await manager.query(`${SELECT} WHERE (q.staff_userid = $1 OR ${s.staff("q.staff_userid")}) ORDER BY q.due_on NULLS LAST, s.name, q.id`, [ownUserid, ...s.params]);
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

/**
 * The subjects each teacher is certified for on `today` (successor choice prefers them): their 教师资格证
 * whose registration has not lapsed (certifiedSubjectsOn, the pure rule). Teachers with none are absent.
 */
export async function certificateSubjects(manager: EntityManager, userids: string[], today: LocalDate): Promise<Map<string, string[]>> {
  const rows: { staff_userid: string; kind: QualificationKind; subject: string | null; due_on: string | null }[] = await manager.query(
    `SELECT staff_userid, kind, subject, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM teacher_qualification WHERE staff_userid = ANY($1)`,
    [userids],
  );
  const byTeacher = new Map<string, SubjectCertificate[]>();
  for (const r of rows) byTeacher.set(r.staff_userid, [...(byTeacher.get(r.staff_userid) ?? []), { kind: r.kind, subject: r.subject, dueOn: r.due_on }]);
  const result = new Map<string, string[]>();
  for (const [userid, records] of byTeacher) {
    const subjects = certifiedSubjectsOn(records, today);
    if (subjects.length > 0) result.set(userid, subjects);
  }
  return result;
}
