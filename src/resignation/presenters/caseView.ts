import type { Case, CaseSummary } from "../../../miniprogram/services/types";
import type { DossierEntry } from "../../dossier";
import type { StepRow } from "../commands/approvalSteps";
import { earliestFor } from "../commands/earliest";
import type { StoredDeadline } from "../commands/noticeDeadline";
import { canWithdraw } from "../commands/withdraw";
import { DEFAULT_CHAIN } from "../rules/approvalChain";
import { STATE_LABELS } from "../rules/caseStateMachine";
import { deadlineSentence, uncoveredCaveat } from "../rules/writtenNoticeDeadline";
import type { CaseRow } from "../store/caseStore";
import { presentEarliest } from "./earliestPresenter";
import { presentTimeline } from "./timelinePresenter";
import { cardSyncNote } from "./cardSyncPresenter";


/**
 * The case as the mini-program shows it (contract `Case`, miniprogram/services/types.ts), from what
 * casePresenter loaded. Pure, so the mini-program's page tests build their fixtures with it: a
 * fixture is something this function returned for a real case row.
 */

export function presentSummary(row: CaseRow): CaseSummary {
  return { id: row.id, status: row.state, statusLabel: STATE_LABELS[row.state], requestedLastDay: row.requestedLastDay, lastDay: row.lastDay };
}

/** What the case view needs beyond the case row, loaded by presentCase. */
export interface CaseFacts {
  employeeName: string | null;
  probationEnd: string | null;
  steps: readonly StepRow[];
  /** Approver userid → display name. */
  approverNames: ReadonlyMap<string, string>;
  dossier: readonly DossierEntry[];
  noticeSigned: boolean;
  deadline: StoredDeadline | null;
  /** WeCom's confirmed results (handover/reassignmentFacts), never the leaver's follow list. */
  transfers: { total: number; transferred: number; failed: number };
  certificateIssued: boolean;
}

const STEP_LABELS: Record<string, string> = Object.fromEntries(DEFAULT_CHAIN.map((s) => [s.key, s.label]));

export function caseView(row: CaseRow, facts: CaseFacts): Case {
  const { deadline, transfers } = facts;
  return {
    ...presentSummary(row),
    employeeName: facts.employeeName ?? row.employeeUserid,
    noticeDate: row.noticeDate,
    reasonCategory: row.reasonCategory,
    reasonText: row.reasonText,
    handoverNotes: row.handoverNotes,
    earliest: presentEarliest(earliestFor({ probationEnd: facts.probationEnd }, row.noticeDate, row.basis, row.mutualAgreement ?? undefined)),
    noticeSigned: facts.noticeSigned,
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
    approvals: facts.steps.map((s) => {
      const cardNote = cardSyncNote(s, facts.dossier);
      return {
        step: s.step,
        label: STEP_LABELS[s.step] ?? s.step,
        approverName: s.approverUserids.map((u) => facts.approverNames.get(u) ?? "（未同步姓名）").join("、") || "待指定",
        decision: s.decision === "waiting" ? ("pending" as const) : s.decision,
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.decidedAt ? { decidedAt: s.decidedAt.toISOString() } : {}),
        ...(cardNote ? { cardNote } : {}),
      };
    }),
    timeline: presentTimeline(facts.dossier),
    transfers: {
      total: transfers.total,
      done: transfers.transferred,
      waiting: Math.max(0, transfers.total - transfers.transferred - transfers.failed),
      failed: transfers.failed,
    },
    certificateIssued: facts.certificateIssued,
    canWithdraw: canWithdraw(row),
  };
}
