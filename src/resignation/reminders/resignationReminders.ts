import type { EntityManager } from "typeorm";
import { formatDateZh } from "../../platform/localDate";
import { responsibleHr } from "../../org";
import type { DueReminder, ReminderSubject } from "../../schedules";
import { appendDossier } from "../../dossier";
import { enqueueMessage } from "../outbox/outbox";
import { workRulesReminders } from "../workRules/workRules";

/** The three steps of a case that nag their owner every 24 hours until done. */
export const ReminderKinds = {
  noticeSignature: "notice_signature",
  approvalStep: "approval_step",
  checklistSignature: "checklist_signature",
  archiveTransfer: "archive_transfer",
} as const;

const stepLabels: Record<string, string> = { department_head: "部门负责人审批", it: "IT 账号与设备确认", hr: "人事交接与结算审批" };

function subject(
  kind: string,
  isOpen: (manager: EntityManager, r: DueReminder) => Promise<boolean>,
  describe: (r: DueReminder, name: string, step?: string, deadline?: string) => string,
): ReminderSubject {
  return {
    kind,
    isOpen,
    async remind(manager, r, seq, now) {
      const ctx = await caseContext(manager, r);
      const content = `【离职流程提醒】${describe(r, ctx.employeeName, ctx.step, ctx.deadline)}（第 ${seq} 次提醒，已等待 ${hoursSince(r.openedAt, now)} 小时）`;
      await enqueueMessage(manager, r.caseId, "reminder", { type: "text", touser: [r.recipientUserid], content }, now);
      // The reminder itself is evidence that notice was given (the dossier entry carries who, what, when).
      if (r.caseId) await appendDossier(manager, r.caseId, now, "reminder_sent", { type: "system", id: "reminders" }, { subject: kind, subjectId: r.subjectId, recipient: r.recipientUserid, seq });
    },
    async escalate(manager, r, now) {
      const ctx = await caseContext(manager, r);
      const hr = (await responsibleHr(manager, ctx.employeeUserid)).filter((u) => u !== r.recipientUserid);
      if (hr.length === 0) return [];
      const content = `【离职流程催办升级】${describe(r, ctx.employeeName, ctx.step)}，已连续提醒 ${r.remindersSent + 1} 次仍未处理（负责人：${r.recipientUserid}），请跟进。`;
      await enqueueMessage(manager, r.caseId, "hr_notice", { type: "text", touser: hr, content }, now);
      if (r.caseId) await appendDossier(manager, r.caseId, now, "reminder_escalated", { type: "system", id: "reminders" }, { subject: kind, subjectId: r.subjectId, to: hr });
      return hr;
    },
  };
}

/** "Still open" = this query finds a row. */
function exists(sql: string, params: (r: DueReminder) => unknown[]) {
  return async (manager: EntityManager, r: DueReminder): Promise<boolean> => (await manager.query(sql, params(r))).length > 0;
}

async function caseContext(manager: EntityManager, r: DueReminder): Promise<{ employeeUserid: string; employeeName: string; step?: string; deadline?: string }> {
  const stepId = r.subjectKind === ReminderKinds.approvalStep ? r.subjectId : null;
  const rows = await manager.query(
    `SELECT c.employee_userid, coalesce(s.name, c.employee_userid) AS name,
            (SELECT step FROM approval_step WHERE id = $2::uuid) AS step,
            CASE WHEN $3 = 'archive_transfer' THEN (SELECT to_char(archive_transfer_deadline, 'YYYY-MM-DD') FROM settlement WHERE case_id = c.id)
                 ELSE (SELECT to_char(deadline, 'YYYY-MM-DD') FROM written_notice_deadline WHERE case_id = c.id) END AS deadline
     FROM resignation_case c LEFT JOIN staff s ON s.userid = c.employee_userid WHERE c.id = $1`,
    [r.caseId, stepId, r.subjectKind],
  );
  return { employeeUserid: rows[0]?.employee_userid ?? r.recipientUserid, employeeName: rows[0]?.name ?? "", step: rows[0]?.step ?? undefined, deadline: rows[0]?.deadline ?? undefined };
}

function hoursSince(from: Date, now: Date): number {
  return Math.floor((now.getTime() - from.getTime()) / 3_600_000);
}

export const resignationReminderSubjects: ReminderSubject[] = [
  // The work-account rules of onboarding: signed before any resignation, kept as its evidence.
  workRulesReminders,
  subject(
    ReminderKinds.noticeSignature,
    exists(
      `SELECT 1 FROM resignation_notice n JOIN resignation_case c ON c.id = n.case_id
       WHERE n.case_id = $1::uuid AND n.signed_at IS NULL AND c.state IN ('notice_pending_signature','registered_by_hr')`,
      (r) => [r.subjectId],
    ),
    (_r, _name, _step, deadline) =>
      `您的书面离职通知尚未签署，请在小程序「离职」中完成签署${deadline ? `（签署期限：${formatDateZh(deadline)}，逾期将转人事跟进）` : ""}`,
  ),
  subject(
    ReminderKinds.approvalStep,
    exists(`SELECT 1 FROM approval_step WHERE id = $1::uuid AND decision = 'pending' AND $2 = ANY (approver_userids)`, (r) => [r.subjectId, r.recipientUserid]),
    (_r, name, step) => `${name} 的离职申请待您处理：${stepLabels[step ?? ""] ?? "审批"}`,
  ),
  subject(
    ReminderKinds.checklistSignature,
    exists(
      `SELECT 1 FROM resignation_case c WHERE c.id = $1::uuid AND c.state NOT IN ('closed','withdrawn')
         AND NOT EXISTS (SELECT 1 FROM handover_signature h WHERE h.case_id = c.id AND h.userid = $2)`,
      (r) => [r.subjectId, r.recipientUserid],
    ),
    (_r, name) => `${name} 的离职交接清单待您确认并签字`,
  ),
  subject(
    ReminderKinds.archiveTransfer,
    exists(`SELECT 1 FROM settlement WHERE case_id = $1::uuid AND archive_transferred_at IS NULL`, (r) => [r.subjectId]),
    (_r, name, _step, deadline) =>
      `${name} 的人事档案和社会保险关系转移待办理${deadline ? `（须于${formatDateZh(deadline)}前完成，《劳动合同法》第五十条）` : ""}，办理后请在控制台登记`,
  ),
];
