import type { EntityManager } from "typeorm";
import { ConflictError, ValidationError } from "../../platform/errors";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { transition } from "../rules/caseStateMachine";
import { evidenceOfSigning, type SigningDevice } from "./signingEvidence";
import { updateCase, type CaseRow } from "../store/caseStore";
import { checklistSource, saveGeneratedChecklist } from "../store/checklistStore";
import { loadNotice, saveSignature } from "../store/noticeStore";
import { approvalChainFor, employeeContext } from "../store/orgContext";
import { loadSteps, openStep } from "./approvalSteps";
import type { DecodedSignature } from "./signatureImage";
import { loadNoticeDeadline } from "./noticeDeadline";
import { fromInstant } from "../../platform/localDate";
import { closeReminders } from "../../schedules";
import { ReminderKinds } from "../reminders/resignationReminders";

export type { SigningDevice } from "./signingEvidence";

/**
 * The employee signs the written notice (ESL 13): the evidence binds the
 * document hash, the signature image hash, the WeCom identity of the
 * session, the server time and the device. Signing an HR registration also
 * confirms it. The signed notice takes effect: the chain starts and the
 * handover checklist is generated.
 */
export async function signNotice(
  manager: EntityManager,
  deps: ResignationDeps,
  row: CaseRow,
  signerUserid: string,
  signature: DecodedSignature,
  device: SigningDevice,
): Promise<CaseRow> {
  const now = deps.clock.now();
  if (row.state !== "notice_pending_signature" && row.state !== "registered_by_hr") {
    throw new ConflictError(row.state === "withdrawn" ? "该离职申请已撤回" : "离职通知已签署");
  }
  const notice = await loadNotice(manager, row.id);
  if (!notice || notice.signedAt) throw new ConflictError("离职通知已签署");
  const ctx = await employeeContext(manager, row.employeeUserid);
  if (signature.typedName !== ctx.staff.name) {
    throw new ValidationError("签名姓名须与本人姓名一致", [{ path: "typedName", message: "must equal the employee's name" }]);
  }
  const evidence = evidenceOfSigning("resignation_notice_signature/v1", notice.documentSha256, signature, signerUserid, now, device);
  await saveSignature(manager, row.id, signature.image, evidence);
  const deadline = await loadNoticeDeadline(manager, row.id);

  let state = row.state === "registered_by_hr" ? transition(row.state, "confirm_registration") : row.state;
  state = transition(transition(state, "sign_notice"), "submit");
  const supervisor = (await loadSteps(manager, row.id)).find((s) => s.step === "department_head")?.approverUserids[0] ?? null;
  let updated = await updateCase(manager, row, { state, supervisorUserid: row.supervisorUserid ?? supervisor, checklistGeneratedAt: now }, now);
  await appendDossier(manager, row.id, now, "notice_signed", { type: "employee", id: signerUserid, name: ctx.staff.name }, {
    documentSha256: notice.documentSha256,
    signatureSha256: evidence.record.signatureImageSha256,
    evidenceSha256: evidence.hash,
    serverTime: evidence.record.serverTime,
    device: { ...device },
    confirmedRegistration: row.state === "registered_by_hr",
    ...(deadline ? { noticeDeadline: deadline.deadline, withinDeadline: fromInstant(now) <= deadline.deadline } : {}),
  });

  const source = await checklistSource(manager, updated, ctx.branchId, deps.successorsOf);
  await saveGeneratedChecklist(manager, row.id, source);
  await closeReminders(manager, ReminderKinds.noticeSignature, row.id, now);
  const successor = source.parents.find((p) => p.suggestedSuccessorUserId && p.suggestedSuccessorUserId !== updated.supervisorUserid)?.suggestedSuccessorUserId;
  if (successor && !updated.receiverUserid) updated = await updateCase(manager, updated, { receiverUserid: successor }, now);
  await appendDossier(manager, row.id, now, "checklist_generated", { type: "system", id: "resignation" }, {
    parents: source.parents.length,
    classes: source.classes.length,
    accounts: source.accounts.length,
    devices: source.devices.length,
    custom: source.branchItems.length,
    receiver: updated.receiverUserid,
    supervisor: updated.supervisorUserid,
  });

  const chain = await approvalChainFor(manager, ctx.branchId);
  const [first] = await loadSteps(manager, row.id);
  const chainStep = chain.find((s) => s.key === first.step);
  if (chainStep) await openStep(manager, deps, updated, first, chainStep, ctx, now);
  return updated;
}
