import type { EntityManager } from "typeorm";
import { responsibleHr } from "../../org";
import { openReminder } from "../../schedules";
import { ReminderKinds } from "../reminders/resignationReminders";
import { formatDateZh, fromInstant } from "../../platform/localDate";
import { sha256Hex } from "../../dossier";
import { ValidationError } from "../../platform/errors";
import { mpPagePath } from "../../../miniprogram/pagePaths";
import { openMiniProgramMessage } from "../bot/openMiniProgram";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { enqueueMessage } from "../outbox/outbox";
import { buildCertificate, transferDeadline } from "../rules/certificate";
import { transition } from "../rules/caseStateMachine";
import { updateCase, type CaseRow } from "../store/caseStore";
import { employeeContext } from "../store/orgContext";

/**
 * The termination certificate (LCL 50, Regs 24): issued from the last day
 * whatever the handover's state, delivered to the employee in WeCom, and the
 * 15-day archive / social-insurance transfer deadline starts counting.
 */
export async function issueCertificate(manager: EntityManager, deps: ResignationDeps, row: CaseRow): Promise<CaseRow> {
  const now = deps.clock.now();
  const ctx = await employeeContext(manager, row.employeeUserid);
  const hireDate = ctx.staff.hireDate ?? row.contractStart;
  if (!hireDate) throw new ValidationError("缺少入职日期，无法开具离职证明；请在通讯录中补充入职日期");
  const certificate = buildCertificate({
    employeeName: ctx.staff.name,
    employerName: ctx.employerName,
    position: row.position || ctx.staff.position || "员工",
    hireDate,
    contractStart: row.contractStart ?? hireDate,
    contractEnd: row.contractEnd,
    terminationDate: row.lastDay,
    issueDate: fromInstant(now),
  });
  const sha256 = sha256Hex(certificate.text);
  await manager.query(
    `INSERT INTO termination_certificate (case_id, fields, text, sha256, issued_at) VALUES ($1, $2, $3, $4, $5)`,
    [row.id, JSON.stringify(certificate.fields), certificate.text, sha256, now],
  );
  const deadline = transferDeadline(row.lastDay);
  await manager.query(`UPDATE settlement SET archive_transfer_deadline = $2 WHERE case_id = $1`, [row.id, deadline]);
  // LCL 50: the personnel file and social insurance move within 15 days — a task for HR, reminded until recorded as done.
  for (const hr of await responsibleHr(manager, row.employeeUserid)) {
    await openReminder(manager, { subjectKind: ReminderKinds.archiveTransfer, subjectId: row.id, recipientUserid: hr, caseId: row.id, departmentId: row.departmentId, openedAt: now });
  }
  const updated = await updateCase(manager, row, { state: transition(row.state, "issue_certificate") }, now);
  await appendDossier(manager, row.id, now, "certificate_issued", { type: "system", id: "resignation" }, { sha256, fields: { ...certificate.fields }, archiveTransferDeadline: deadline });
  await enqueueMessage(
    manager,
    row.id,
    "certificate_delivery",
    openMiniProgramMessage(row.employeeUserid, deps.miniProgramAppId, {
      title: "离职证明已开具",
      description: "点击查看证明",
      items: [
        { key: "离职日期", value: formatDateZh(row.lastDay) },
        { key: "档案转移截止", value: formatDateZh(deadline) },
      ],
      textFallback: `您的离职证明已开具（离职日期：${formatDateZh(row.lastDay)}），可在“离职办理”小程序中查看和下载。档案和社会保险关系转移将在${formatDateZh(deadline)}前办理。`,
    }, mpPagePath("certificate", { id: row.id })),
    now,
  );
  return updated;
}
