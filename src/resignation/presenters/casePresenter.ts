import type { EntityManager } from "typeorm";
import { loadDossier } from "../dossier/dossierStore";
import { loadSteps } from "../commands/approvalSteps";
import { canWithdraw } from "../commands/withdraw";
import { earliestFor } from "../commands/earliest";
import { STATE_LABELS } from "../rules/caseStateMachine";
import { DEFAULT_CHAIN } from "../rules/approvalChain";
import type { CaseRow } from "../store/caseStore";
import { loadItems } from "../store/checklistStore";
import { StaffDirectory } from "../../org/directory/staffDirectory";
import { presentEarliest } from "./earliestPresenter";
import { presentTimeline } from "./timelinePresenter";
import { displayNames } from "../../org/directory/displayNames";
import { reassignmentFacts } from "../../handover/reassignmentFacts";
import { loadNoticeDeadline } from "../commands/noticeDeadline";
import { deadlineSentence, uncoveredCaveat } from "../rules/writtenNoticeDeadline";

export function presentSummary(row: CaseRow) {
  return { id: row.id, status: row.state, statusLabel: STATE_LABELS[row.state], requestedLastDay: row.requestedLastDay, lastDay: row.lastDay };
}

const STEP_LABELS: Record<string, string> = Object.fromEntries(DEFAULT_CHAIN.map((s) => [s.key, s.label]));

/** The case as the mini-program shows it (MP_API.md `Case`). */
export async function presentCase(manager: EntityManager, row: CaseRow) {
  const staff = await new StaffDirectory(manager).find(row.employeeUserid);
  const steps = await loadSteps(manager, row.id);
  const names = await displayNames(manager, steps.flatMap((s) => s.approverUserids));
  const entries = await loadDossier(manager, row.id);
  const signed: { signed: boolean }[] = await manager.query(`SELECT signed_at IS NOT NULL AS signed FROM resignation_notice WHERE case_id = $1`, [row.id]);
  const certificate: unknown[] = await manager.query(`SELECT 1 FROM termination_certificate WHERE case_id = $1`, [row.id]);
  const parents = (await loadItems(manager, row.id)).find((i) => i.kind === "all_parents_transferred");
  // WeCom's confirmed results, never the leaver's follow list (a resigned transfer leaves it in place).
  const facts = await reassignmentFacts(manager, row.employeeUserid);
  const total = facts.parentsTotal || (parents?.detail.entries?.length ?? 0);
  const failed = facts.problems.filter((p) => p.kind === "parent").length;
  const deadline = await loadNoticeDeadline(manager, row.id);
  return {
    ...presentSummary(row),
    employeeName: staff?.name ?? row.employeeUserid,
    noticeDate: row.noticeDate,
    reasonCategory: row.reasonCategory,
    reasonText: row.reasonText,
    handoverNotes: row.handoverNotes,
    earliest: presentEarliest(earliestFor({ probationEnd: staff?.probationEnd ?? null }, row.noticeDate, row.basis, row.mutualAgreement ?? undefined)),
    noticeSigned: signed[0]?.signed ?? false,
    noticeDeadline: deadline
      ? {
          deadline: deadline.deadline,
          workingDays: deadline.workingDays,
          setOn: deadline.setOn,
          provisional: deadline.uncoveredYears.length > 0,
          uncoveredYears: deadline.uncoveredYears,
          caveat: deadline.uncoveredYears.length > 0 ? uncoveredCaveat(deadline.uncoveredYears) : null,
          instruction: deadlineSentence(deadline),
          escalated: deadline.escalatedAt !== null,
        }
      : null,
    approvals: steps.map((s) => ({
      step: s.step as "department_head" | "it" | "hr",
      label: STEP_LABELS[s.step] ?? s.step,
      approverName: s.approverUserids.map((u) => names.get(u) ?? u).join("、") || "待指定",
      decision: s.decision === "waiting" ? ("pending" as const) : s.decision,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.decidedAt ? { decidedAt: s.decidedAt.toISOString() } : {}),
    })),
    timeline: presentTimeline(entries),
    transfers: { total, done: facts.parentsTransferred, waiting: Math.max(0, total - facts.parentsTransferred - failed), failed },
    certificateIssued: certificate.length > 0,
    canWithdraw: canWithdraw(row),
  };
}
