import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { fromInstant, type LocalDate } from "../../platform/localDate";
import { ConflictError, ValidationError } from "../../platform/errors";
import type { DossierActor } from "../../dossier";
import type { JsonValue } from "../../dossier";
import { appendDossier } from "../../dossier";
import { copySignedWorkRulesIntoDossier } from "../workRules/workRules";
import { transition, initialState, type CaseOrigin } from "../rules/caseStateMachine";
import { buildNoticeDocument, noticeHash, type ReasonCategory } from "../rules/noticeDocument";
import { validateRequestedLastDay } from "../rules/noticePeriod";
import { getCase, openCaseOf, type CaseRow } from "../store/caseStore";
import { saveUnsignedNotice } from "../store/noticeStore";
import { employeeContext } from "../store/orgContext";
import { createSteps } from "./approvalSteps";
import { setNoticeDeadline } from "./noticeDeadline";
import { earliestFor } from "./earliest";
import { openReminder } from "../../schedules";
import { ReminderKinds } from "../reminders/resignationReminders";

export interface NewCase {
  employeeUserid: string;
  origin: CaseOrigin;
  /** The day the notice was given (China date). */
  noticeDate: LocalDate;
  requestedLastDay: LocalDate;
  reasonCategory: ReasonCategory;
  reasonText: string;
  handoverNotes: string;
  registeredBy?: string;
  registrationEvidence?: Record<string, JsonValue>;
}

/**
 * A new case with its unsigned written notice and its approval chain. The
 * requested last day may be later than the lawful earliest, never earlier
 * (400 with the field named); one open case per person (409).
 */
export async function createCase(
  manager: EntityManager,
  input: NewCase,
  actor: DossierActor,
  now: Date,
): Promise<CaseRow> {
  if (await openCaseOf(manager, input.employeeUserid)) throw new ConflictError("您已有一个进行中的离职申请");
  const ctx = await employeeContext(manager, input.employeeUserid);
  const earliest = earliestFor(ctx.staff, input.noticeDate);
  const check = validateRequestedLastDay(input.requestedLastDay, earliest);
  if (!check.ok) {
    throw new ValidationError(check.message, [{ path: "requestedLastDay", message: check.message, earliestLastDay: earliest.lastDay }]);
  }
  const id = randomUUID();
  // An employee's own start goes straight to signing; an HR registration waits for the employee to confirm.
  const state = input.origin === "employee" ? transition(initialState("employee"), "start") : initialState("hr_registration");
  const document = buildNoticeDocument({
    employeeName: ctx.staff.name,
    userId: ctx.staff.userid,
    position: ctx.staff.position || "员工",
    branchName: ctx.branchName,
    employerName: ctx.employerName,
    noticeDate: input.noticeDate,
    requestedLastDay: input.requestedLastDay,
    reasonCategory: input.reasonCategory,
    reasonText: input.reasonText,
  });
  try {
    await manager.query(`SAVEPOINT create_case`);
    await manager.query(
      `INSERT INTO resignation_case (id, employee_userid, origin, state, basis, notice_date, requested_last_day, earliest_last_day, last_day,
         in_probation, reason_category, reason_text, handover_notes, department_id, position, registered_by, registration_evidence,
         contract_start, contract_end, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'standard', $5, $6, $7, $6, $8, $9, $10, $11, $12, $13, $14, $15,
               coalesce((SELECT contract_start FROM staff WHERE userid = $2), $16::date),
               (SELECT contract_end FROM staff WHERE userid = $2), $17, $17)`,
      [
        id,
        input.employeeUserid,
        input.origin,
        state,
        input.noticeDate,
        input.requestedLastDay,
        earliest.lastDay,
        earliest.inProbation,
        input.reasonCategory,
        document.fields.reasonText,
        input.handoverNotes,
        ctx.mainDepartmentId,
        ctx.staff.position,
        input.registeredBy ?? null,
        input.registrationEvidence ? JSON.stringify(input.registrationEvidence) : null,
        ctx.staff.hireDate,
        now,
      ],
    );
    await manager.query(`RELEASE SAVEPOINT create_case`);
  } catch (err) {
    await manager.query(`ROLLBACK TO SAVEPOINT create_case`);
    // The one-open-case index: a concurrent start for the same person got there first.
    if ((err as { code?: string }).code === "23505") throw new ConflictError("您已有一个进行中的离职申请");
    throw err;
  }
  const row = await getCase(manager, id);
  await saveUnsignedNotice(manager, id, document);
  await openReminder(manager, { subjectKind: ReminderKinds.noticeSignature, subjectId: id, recipientUserid: row.employeeUserid, caseId: id, departmentId: row.departmentId, openedAt: now });
  await createSteps(manager, row, ctx, now);
  await appendDossier(manager, id, now, input.origin === "employee" ? "case_started" : "case_registered", actor, {
    state,
    noticeDate: input.noticeDate,
    requestedLastDay: input.requestedLastDay,
    earliestLastDay: earliest.lastDay,
    basis: earliest.basis,
    inProbation: earliest.inProbation,
    reasonCategory: input.reasonCategory,
    reasonText: document.fields.reasonText,
    handoverNotes: input.handoverNotes,
    documentSha256: noticeHash(document),
    ...(input.registrationEvidence ? { evidence: input.registrationEvidence } : {}),
  });
  // The rules the leaver signed when they joined are part of this case's record.
  await copySignedWorkRulesIntoDossier(manager, id, input.employeeUserid, now);
  // Seed 004: the intent becomes a written notice only once e-signed; the leaver gets a dated deadline.
  await setNoticeDeadline(manager, row, now);
  return row;
}

export function todayIn(now: Date): LocalDate {
  return fromInstant(now);
}
