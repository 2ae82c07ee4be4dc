import type { TimelineEntry, TimelineKind } from "../../../miniprogram/services/types";
import type { DossierEntry } from "../../dossier";

/** Dossier kinds the employee sees, as timeline kinds with Chinese labels; internal bookkeeping stays out. */
export const VISIBLE: Readonly<Record<string, { kind: TimelineKind; label: (p: Record<string, unknown>) => string }>> = {
  case_started: { kind: "created", label: () => "提交离职申请" },
  case_registered: { kind: "created", label: () => "人事登记离职意向" },
  notice_deadline_set: { kind: "reminder", label: (p) => `书面通知须于${String(p.deadline)}前签署（${String(p.workingDays)}个工作日）${p.calendar === "official" ? "" : "，暂按周末估算"}` },
  notice_deadline_recomputed: { kind: "reminder", label: (p) => `签署期限按官方日历重新计算为${String(p.deadline)}` },
  notice_deadline_missed: { kind: "reminder", label: () => "签署期限已过，已转人事跟进" },
  notice_signed: { kind: "notice_signed", label: () => "签署书面离职通知" },
  approval_opened: { kind: "approval", label: () => "进入审批环节" },
  approval_decided: { kind: "approval", label: (p) => (p.decision === "approved" ? "审批通过" : "审批退回") },
  approval_complete: { kind: "approval", label: () => "交接审批全部完成" },
  reminder_sent: { kind: "reminder", label: () => "已提醒审批人" },
  transfer_done: { kind: "transfer", label: () => "家长转接完成" },
  exit_interview_scheduled: { kind: "approval", label: () => "人事安排了离职面谈" },
  withdraw_requested: { kind: "withdrawn", label: () => "申请撤回离职" },
  withdrawn: { kind: "withdrawn", label: () => "离职申请已撤回" },
  withdraw_declined: { kind: "withdrawn", label: () => "公司未同意撤回" },
  last_day_reached: { kind: "last_day", label: () => "到达最后工作日" },
  final_wages_released: { kind: "settlement", label: () => "最后工资已发放（不以交接为条件）" },
  certificate_issued: { kind: "certificate_issued", label: () => "离职证明已开具" },
  handover_confirmed: { kind: "handover", label: () => "交接清单三方签字完成" },
};

const STEP_NAMES: Record<string, string> = { department_head: "部门负责人", it: "IT", hr: "人事" };

/** Contract `TimelineEntry[]` (miniprogram/services/types.ts). */
export function presentTimeline(entries: readonly DossierEntry[]): TimelineEntry[] {
  return entries.flatMap((e) => {
    const v = VISIBLE[e.kind];
    if (!v) return [];
    const p = (e.payload ?? {}) as Record<string, unknown>;
    const detail = typeof p.step === "string" ? `${STEP_NAMES[p.step] ?? p.step}${typeof p.reason === "string" ? `：${p.reason}` : ""}` : undefined;
    return [{ at: e.at, kind: v.kind, label: v.label(p), ...(detail ? { detail } : {}) }];
  });
}
