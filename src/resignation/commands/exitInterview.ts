import type { EntityManager } from "typeorm";
import { formatChinaTime as formatZh } from "../../calendar";
import { StaffDirectory } from "../../org";
import { ConflictError, ValidationError } from "../../platform/errors";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { enqueueMessage } from "../outbox/outbox";
import { transition } from "../rules/caseStateMachine";
import { EXIT_OUTCOMES, EXIT_REASONS, REHIRE_RECOMMENDATIONS, rehireEligible, type ExitOutcome, type ExitReason, type RehireRecommendation } from "../rules/exitInterview";
import { updateCase, type CaseRow } from "../store/caseStore";
import { canWithdraw } from "./withdraw";

export interface ExitInterviewRow {
  scheduledAt: Date;
  interviewerUserid: string;
  reasons: ExitReason[];
  outcome: ExitOutcome | null;
  rehireRecommendation: RehireRecommendation | null;
  notes: string;
  recordedBy: string | null;
  recordedAt: Date | null;
}

export async function loadExitInterview(manager: EntityManager, caseId: string): Promise<ExitInterviewRow | null> {
  const [r] = await manager.query(`SELECT * FROM exit_interview WHERE case_id = $1`, [caseId]);
  return r
    ? { scheduledAt: r.scheduled_at, interviewerUserid: r.interviewer_userid, reasons: r.reasons, outcome: r.outcome, rehireRecommendation: r.rehire_recommendation, notes: r.notes, recordedBy: r.recorded_by, recordedAt: r.recorded_at }
    : null;
}

/** Schedules (or moves) the interview; the leaver and the interviewer are told by WeCom message. */
export async function scheduleExitInterview(manager: EntityManager, deps: ResignationDeps, row: CaseRow, hrUserid: string, scheduledAt: Date, interviewerUserid: string): Promise<ExitInterviewRow> {
  const now = deps.clock.now();
  if (row.state === "withdrawn" || row.state === "closed") throw new ConflictError("该离职案件已结束，不能安排离职面谈");
  const existing = await loadExitInterview(manager, row.id);
  if (existing?.outcome) throw new ConflictError("离职面谈已记录结果，不能再改期");
  const interviewer = await new StaffDirectory(manager).find(interviewerUserid);
  if (!interviewer || interviewerUserid === row.employeeUserid) throw new ValidationError("请选择有效的面谈人", [{ path: "interviewerUserid", message: "unknown or the leaver" }]);
  await manager.query(
    `INSERT INTO exit_interview (case_id, scheduled_at, interviewer_userid, scheduled_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id) DO UPDATE SET scheduled_at = EXCLUDED.scheduled_at, interviewer_userid = EXCLUDED.interviewer_userid, scheduled_by = EXCLUDED.scheduled_by`,
    [row.id, scheduledAt, interviewerUserid, hrUserid],
  );
  await appendDossier(manager, row.id, now, "exit_interview_scheduled", { type: "hr", id: hrUserid }, { scheduledAt: scheduledAt.toISOString(), interviewer: interviewerUserid, rescheduled: existing !== null });
  const when = formatZh(scheduledAt);
  await enqueueMessage(manager, row.id, "employee_notice", { type: "text", touser: [row.employeeUserid], content: `【离职面谈】人事为您安排了离职面谈：${when}，面谈人：${interviewer.name}。面谈不影响您依法离职的权利。` }, now);
  await enqueueMessage(manager, row.id, "hr_notice", { type: "text", touser: [interviewerUserid], content: `【离职面谈】请于${when}与离职员工进行面谈，面谈后在控制台记录原因与结果。` }, now);
  return (await loadExitInterview(manager, row.id))!;
}

export interface ExitInterviewOutcome {
  reasons: ExitReason[];
  outcome: ExitOutcome;
  rehireRecommendation: RehireRecommendation;
  notes: string;
}

/**
 * Records what the interview found. "Retained" ends the case as withdrawn —
 * the employee agreed in the interview to stay and HR agrees (after signing
 * both sides must, CC 137) — and the leaver is told so they can object.
 * "Exit confirmed" keeps the case running; the recommendation reaches the
 * alumni pool now (if the person already left) or on the last day.
 */
export async function recordExitInterview(manager: EntityManager, deps: ResignationDeps, row: CaseRow, hrUserid: string, o: ExitInterviewOutcome): Promise<{ interview: ExitInterviewRow; case: CaseRow }> {
  const now = deps.clock.now();
  const existing = await loadExitInterview(manager, row.id);
  if (!existing) throw new ConflictError("请先安排离职面谈");
  if (existing.outcome) throw new ConflictError(`离职面谈结果已记录（${EXIT_OUTCOMES[existing.outcome]}）`);
  let updated = row;
  if (o.outcome === "retained") {
    if (!canWithdraw(row)) throw new ConflictError("当前状态下无法撤回离职（最后工作日已到或案件已结束），不能记录为留任");
    let state = transition(row.state, "withdraw_request");
    if (state === "withdrawal_requested") state = transition(state, "withdraw_accept");
    updated = await updateCase(manager, row, { state, resumeState: null }, now);
    await manager.query(`UPDATE approval_step SET decision = 'waiting' WHERE case_id = $1 AND decision = 'pending'`, [row.id]);
  }
  await manager.query(
    `UPDATE exit_interview SET reasons = $2, outcome = $3, rehire_recommendation = $4, notes = $5, recorded_by = $6, recorded_at = $7 WHERE case_id = $1`,
    [row.id, o.reasons, o.outcome, o.rehireRecommendation, o.notes, hrUserid, now],
  );
  await appendDossier(manager, row.id, now, "exit_interview_recorded", { type: "hr", id: hrUserid }, {
    reasons: o.reasons,
    reasonLabels: o.reasons.map((r) => EXIT_REASONS[r]),
    outcome: o.outcome,
    rehireRecommendation: o.rehireRecommendation,
  });
  if (o.outcome === "retained") {
    await appendDossier(manager, row.id, now, "withdrawn", { type: "hr", id: hrUserid }, { note: "离职面谈：员工同意留任", from: row.state });
    await enqueueMessage(manager, row.id, "employee_notice", { type: "text", touser: [row.employeeUserid], content: "【离职面谈】根据面谈结果，您选择留任，离职申请已撤回。如与您的意愿不符，请立即联系人事。" }, now);
  }
  await manager.query(`UPDATE alumni SET rehire_eligible = $2 WHERE case_id = $1`, [row.id, rehireEligible(o.rehireRecommendation)]);
  return { interview: (await loadExitInterview(manager, row.id))!, case: updated };
}

export function presentExitInterview(i: ExitInterviewRow | null, names: Map<string, string>) {
  if (!i) return null;
  return {
    scheduledAt: i.scheduledAt.toISOString(),
    scheduledAtLabel: formatZh(i.scheduledAt),
    interviewerName: names.get(i.interviewerUserid) ?? "（未知）",
    reasons: i.reasons.map((r) => ({ key: r, label: EXIT_REASONS[r] ?? r })),
    outcome: i.outcome ? { key: i.outcome, label: EXIT_OUTCOMES[i.outcome] } : null,
    rehireRecommendation: i.rehireRecommendation ? { key: i.rehireRecommendation, label: REHIRE_RECOMMENDATIONS[i.rehireRecommendation] } : null,
    notes: i.notes,
    recordedAt: i.recordedAt?.toISOString() ?? null,
  };
}
