import type { EntityManager } from "typeorm";
import { ConflictError, ValidationError } from "../../platform/errors";
import { APPROVE_KEY, REJECT_KEY, REJECT_REASONS } from "../cards/approvalCard";
import type { ResignationDeps } from "../deps";
import { DEFAULT_CHAIN } from "../rules/approvalChain";
import type { CaseRow } from "../store/caseStore";
import { loadSteps, type StepRow } from "./approvalSteps";
import { decideApprovalStep } from "./decideApprovalStep";

const STEP_LABELS: Record<string, string> = Object.fromEntries(DEFAULT_CHAIN.map((s) => [s.key, s.label]));

/** The open step this person decides now, if any, with the reasons a return may give: the case page shows its buttons to them only. */
export async function myOpenStep(
  manager: EntityManager,
  row: CaseRow,
  userid: string,
): Promise<{ step: string; label: string; rejectReasons: readonly { id: string; text: string }[] } | null> {
  if (row.state !== "in_approval") return null;
  const step = (await loadSteps(manager, row.id)).find((s: StepRow) => s.decision === "pending" && s.approverUserids.includes(userid));
  return step ? { step: step.step, label: STEP_LABELS[step.step] ?? "该环节", rejectReasons: REJECT_REASONS } : null;
}

/**
 * An approver decides their step on the case page instead of the WeCom card
 * (the card's "查看详情" opens that page). The decision goes through exactly
 * the card's rule — the step's current task id, the same approver check, the
 * same reasons — so the two channels cannot disagree. The approvers' cards are
 * then greyed out (cards/cardSync.ts), and a click that still arrives is answered
 * with the decision taken here.
 */
export async function decideInConsole(
  manager: EntityManager,
  deps: ResignationDeps,
  row: CaseRow,
  userid: string,
  input: { step: string; decision: "approve" | "reject"; reasonOptionId?: string | undefined },
): Promise<{ outcome: "approved" | "rejected"; stepLabel: string }> {
  const steps = await loadSteps(manager, row.id);
  const label = STEP_LABELS[input.step] ?? "该环节";
  const step = steps.find((s) => s.step === input.step);
  if (!step) throw new ValidationError("该案件没有这个审批环节");
  if (step.decision === "approved" || step.decision === "rejected") {
    throw new ConflictError(`“${label}”环节已${step.decision === "approved" ? "通过" : "退回"}，无需再次审批`);
  }
  if (step.decision !== "pending" || !step.cardTaskId) throw new ConflictError(`“${label}”环节尚未开始，请等待前面的环节审批`);
  if (row.state !== "in_approval") throw new ConflictError("案件当前不在审批中，不能审批");
  if (!step.approverUserids.includes(userid)) throw new ConflictError(`“${label}”环节不由您审批`);
  if (input.decision === "reject" && !REJECT_REASONS.some((r) => r.id === input.reasonOptionId)) throw new ValidationError("退回时请选择原因");
  const result = await decideApprovalStep(manager, deps, {
    taskId: step.cardTaskId,
    userid,
    buttonKey: input.decision === "approve" ? APPROVE_KEY : REJECT_KEY,
    ...(input.reasonOptionId ? { reasonOptionId: input.reasonOptionId } : {}),
    via: "console",
  });
  // The checks above ran on the locked case, so the card rule can only agree; anything else is a bug, not a refusal.
  if (result.outcome !== "approved" && result.outcome !== "rejected") throw new Error(`console approval ended as ${result.outcome}`);
  return { outcome: result.outcome, stepLabel: label };
}
