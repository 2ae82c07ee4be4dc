import { AppError, ValidationError } from "../../platform/errors";

/**
 * The internal handover approval chain. These steps organise the handover;
 * they do not decide whether the employee may leave (LCL 37), so a rejection
 * only sends the case back to the same step with a reason.
 */

export type ApproverRole = "department_head" | "it" | "hr";

export interface ApprovalStep {
  key: string;
  role: ApproverRole;
  label: string;
  /** What the approver confirms, shown on the approval card. */
  duties: string[];
}

export const DEFAULT_CHAIN: readonly ApprovalStep[] = [
  { key: "department_head", role: "department_head", label: "部门负责人", duties: ["确认工作交接安排与接收人"] },
  { key: "it", role: "it", label: "IT", duties: ["回收系统账号与权限", "回收公司设备"] },
  { key: "hr", role: "hr", label: "人事", duties: ["确认交接完成", "办理离职结算"] },
];

export interface ChainConfig {
  default?: readonly ApprovalStep[];
  /** Branch id → that branch's chain, replacing the default. */
  perBranch?: Readonly<Record<string, readonly ApprovalStep[]>>;
}

export function chainForBranch(branchId: string, config: ChainConfig = {}): readonly ApprovalStep[] {
  const chain = config.perBranch?.[branchId] ?? config.default ?? DEFAULT_CHAIN;
  validateChain(chain);
  return chain;
}

export function validateChain(chain: readonly ApprovalStep[]): void {
  if (chain.length === 0) throw new ValidationError("审批链至少需要一个环节");
  const keys = new Set<string>();
  for (const step of chain) {
    if (!step.key) throw new ValidationError("审批环节缺少标识");
    if (keys.has(step.key)) throw new ValidationError(`审批环节重复：${step.key}`);
    if (!["department_head", "it", "hr"].includes(step.role)) throw new ValidationError(`未知的审批角色：${step.role}`);
    keys.add(step.key);
  }
}

export interface StepDecision {
  stepKey: string;
  decision: "approved" | "rejected";
  reason?: string;
  byUserId: string;
  /** ISO instant. */
  at: string;
}

export type NextStep =
  | { status: "pending"; step: ApprovalStep; index: number; returned?: { reason: string; byUserId: string; at: string } }
  | { status: "complete" };

/**
 * The step waiting for a decision: the first step whose latest decision is not
 * an approval. `decisions` are in the order they were made.
 */
export function nextStep(chain: readonly ApprovalStep[], decisions: readonly StepDecision[]): NextStep {
  const latest = new Map<string, StepDecision>();
  for (const d of decisions) latest.set(d.stepKey, d);
  for (let index = 0; index < chain.length; index++) {
    const step = chain[index];
    const d = latest.get(step.key);
    if (d?.decision === "approved") continue;
    return d?.decision === "rejected"
      ? { status: "pending", step, index, returned: { reason: d.reason ?? "", byUserId: d.byUserId, at: d.at } }
      : { status: "pending", step, index };
  }
  return { status: "complete" };
}

/**
 * Checks a new decision before it is recorded: it must be for the step that
 * is waiting, from one of that step's approvers, and a rejection must say why.
 * Returns what follows, so the caller can pass `chainComplete` to the state machine.
 */
export function recordDecision(
  chain: readonly ApprovalStep[],
  decisions: readonly StepDecision[],
  decision: StepDecision,
  approverUserIds: readonly string[],
): { decisions: StepDecision[]; next: NextStep; chainComplete: boolean } {
  const current = nextStep(chain, decisions);
  if (current.status === "complete") throw new ApprovalError("审批已全部完成，无需再审批");
  if (current.step.key !== decision.stepKey) {
    throw new ApprovalError(`当前待审批环节是“${current.step.label}”，不能审批其他环节`);
  }
  if (!approverUserIds.includes(decision.byUserId)) throw new ApprovalError(`您不是“${current.step.label}”环节的审批人`, 403);
  if (decision.decision === "rejected" && !decision.reason?.trim()) throw new ValidationError("退回时请填写原因");
  const all = [...decisions, decision];
  const next = nextStep(chain, all);
  return { decisions: all, next, chainComplete: next.status === "complete" };
}

export class ApprovalError extends AppError {
  constructor(message: string, status = 409) {
    super(status, status === 403 ? "forbidden" : "approval_conflict", message);
  }
}

/** Org data the caller loads (from the WeCom directory mirror and branch settings). */
export interface OrgSnapshot {
  departments: readonly { id: string; parentId: string | null; leaderUserIds: readonly string[] }[];
  /** Branch id → role → user ids (IT and HR contacts per branch). */
  roleHolders: Readonly<Record<string, Partial<Record<"it" | "hr", readonly string[]>>>>;
}

export interface Leaver {
  userId: string;
  mainDepartmentId: string;
  branchId: string;
}

/**
 * Who decides a step. The department head is the leader of the leaver's main
 * department; when the leaver leads it themselves (or it has no leader) the
 * next department up decides — nobody approves their own handover.
 */
export function approversFor(step: ApprovalStep, leaver: Leaver, org: OrgSnapshot): string[] {
  if (step.role === "department_head") {
    const byId = new Map(org.departments.map((d) => [d.id, d]));
    const visited = new Set<string>();
    let dept = byId.get(leaver.mainDepartmentId);
    if (!dept) throw new ApprovalError(`找不到离职人员所在部门：${leaver.mainDepartmentId}`);
    while (dept && !visited.has(dept.id)) {
      visited.add(dept.id);
      const leaders = dept.leaderUserIds.filter((u) => u !== leaver.userId);
      if (leaders.length > 0) return [...leaders];
      dept = dept.parentId ? byId.get(dept.parentId) : undefined;
    }
    throw new ApprovalError("找不到部门负责人，请在企业微信通讯录中设置部门负责人");
  }
  const holders = (org.roleHolders[leaver.branchId]?.[step.role] ?? []).filter((u) => u !== leaver.userId);
  if (holders.length === 0) {
    throw new ApprovalError(`校区未配置“${step.label}”审批人，请管理员在校区设置中指定`);
  }
  return [...holders];
}
