import type { EntityManager } from "typeorm";
import type { LocalDate } from "../../platform/localDate";
import { ConflictError, NotFoundError } from "../../platform/errors";
import type { CaseOrigin, CaseState } from "../rules/caseStateMachine";
import type { MutualAgreement, ResignationBasis } from "../rules/noticePeriod";
import type { ReasonCategory } from "../rules/noticeDocument";

export interface CaseRow {
  id: string;
  employeeUserid: string;
  origin: CaseOrigin;
  state: CaseState;
  resumeState: CaseState | null;
  basis: ResignationBasis;
  noticeDate: LocalDate;
  requestedLastDay: LocalDate;
  earliestLastDay: LocalDate;
  lastDay: LocalDate;
  inProbation: boolean;
  mutualAgreement: MutualAgreement | null;
  reasonCategory: ReasonCategory;
  reasonText: string;
  handoverNotes: string;
  departmentId: number | null;
  position: string | null;
  registeredBy: string | null;
  registrationEvidence: Record<string, unknown> | null;
  receiverUserid: string | null;
  supervisorUserid: string | null;
  contractStart: LocalDate | null;
  contractEnd: LocalDate | null;
  checklistGeneratedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const day = (col: string) => `to_char(${col}, 'YYYY-MM-DD') AS ${col}`;
const SELECT = `SELECT id, employee_userid, origin, state, resume_state, basis, ${day("notice_date")}, ${day("requested_last_day")},
  ${day("earliest_last_day")}, ${day("last_day")}, in_probation, mutual_agreement, reason_category, reason_text, handover_notes,
  department_id, position, registered_by, registration_evidence, receiver_userid, supervisor_userid, ${day("contract_start")},
  ${day("contract_end")}, checklist_generated_at, version, created_at, updated_at FROM resignation_case`;

function toRow(r: Record<string, unknown>): CaseRow {
  return {
    id: r.id as string,
    employeeUserid: r.employee_userid as string,
    origin: r.origin as CaseOrigin,
    state: r.state as CaseState,
    resumeState: (r.resume_state as CaseState | null) ?? null,
    basis: r.basis as ResignationBasis,
    noticeDate: r.notice_date as string,
    requestedLastDay: r.requested_last_day as string,
    earliestLastDay: r.earliest_last_day as string,
    lastDay: r.last_day as string,
    inProbation: r.in_probation as boolean,
    mutualAgreement: (r.mutual_agreement as MutualAgreement | null) ?? null,
    reasonCategory: r.reason_category as ReasonCategory,
    reasonText: r.reason_text as string,
    handoverNotes: r.handover_notes as string,
    departmentId: (r.department_id as number | null) ?? null,
    position: (r.position as string | null) ?? null,
    registeredBy: (r.registered_by as string | null) ?? null,
    registrationEvidence: (r.registration_evidence as Record<string, unknown> | null) ?? null,
    receiverUserid: (r.receiver_userid as string | null) ?? null,
    supervisorUserid: (r.supervisor_userid as string | null) ?? null,
    contractStart: (r.contract_start as string | null) ?? null,
    contractEnd: (r.contract_end as string | null) ?? null,
    checklistGeneratedAt: (r.checklist_generated_at as Date | null) ?? null,
    version: r.version as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findCase(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<CaseRow | null> {
  if (!UUID.test(id)) return null;
  const rows = await manager.query(`${SELECT} WHERE id = $1${options.lock ? " FOR UPDATE" : ""}`, [id]);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function getCase(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<CaseRow> {
  const row = await findCase(manager, id, options);
  if (!row) throw new NotFoundError("离职申请不存在");
  return row;
}

export async function openCaseOf(manager: EntityManager, userid: string): Promise<CaseRow | null> {
  const rows = await manager.query(`${SELECT} WHERE employee_userid = $1 AND state NOT IN ('closed','withdrawn')`, [userid]);
  return rows[0] ? toRow(rows[0]) : null;
}

/** Cases whose last day has come and whose notice took effect (signed): what the daily run moves on. */
export async function casesDueForLastDay(manager: EntityManager, today: LocalDate): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM resignation_case
     WHERE last_day <= $1 AND state IN ('notice_signed','in_approval','step_returned','approved','handover_in_progress','handover_done','withdrawal_requested','last_day_reached')
     ORDER BY last_day, id`,
    [today],
  );
  return rows.map((r) => r.id);
}

type Patch = Partial<Pick<CaseRow, "state" | "resumeState" | "lastDay" | "requestedLastDay" | "earliestLastDay" | "noticeDate" | "basis" | "mutualAgreement" | "receiverUserid" | "supervisorUserid" | "checklistGeneratedAt" | "contractStart" | "contractEnd">>;

const COLUMNS: Record<keyof Patch, string> = {
  state: "state",
  resumeState: "resume_state",
  lastDay: "last_day",
  requestedLastDay: "requested_last_day",
  earliestLastDay: "earliest_last_day",
  noticeDate: "notice_date",
  basis: "basis",
  mutualAgreement: "mutual_agreement",
  receiverUserid: "receiver_userid",
  supervisorUserid: "supervisor_userid",
  checklistGeneratedAt: "checklist_generated_at",
  contractStart: "contract_start",
  contractEnd: "contract_end",
};

/**
 * Writes a change guarded by the version read earlier: a concurrent writer
 * that got there first turns this into a 409 instead of a lost update.
 */
export async function updateCase(manager: EntityManager, row: CaseRow, patch: Patch, now: Date): Promise<CaseRow> {
  const keys = Object.keys(patch) as (keyof Patch)[];
  const sets = keys.map((k, i) => `${COLUMNS[k]} = $${i + 4}`);
  const values = keys.map((k) => {
    const v = patch[k];
    return k === "mutualAgreement" && v !== null && v !== undefined ? JSON.stringify(v) : v;
  });
  const closed = patch.state === "closed" || patch.state === "withdrawn" ? ", closed_at = $3" : "";
  const result = await manager.query(
    `UPDATE resignation_case SET ${[...sets, "updated_at = $3", "version = version + 1"].join(", ")}${closed}
     WHERE id = $1 AND version = $2 RETURNING id`,
    [row.id, row.version, now, ...values],
  );
  const updated = (result[0] as unknown[] | undefined)?.length ?? 0;
  if (updated === 0) throw new ConflictError("该离职申请刚刚被他人更新，请刷新后重试");
  return { ...row, ...patch, version: row.version + 1, updatedAt: now };
}
