import type { EntityManager } from "typeorm";
import { mpPagePath } from "../../../miniprogram/pagePaths";
import type { WorkRules } from "../../../miniprogram/services/types";
import { appendDossier } from "../../dossier";
import { responsibleHr, StaffStatus } from "../../org";
import { ConflictError, ValidationError } from "../../platform/errors";
import { fromInstant } from "../../platform/localDate";
import { closeReminders, openReminder, type ReminderSubject } from "../../schedules";
import type { ContactEvent } from "../../wecom";
import { openMiniProgramMessage } from "../bot/openMiniProgram";
import { evidenceOfSigning, type SigningDevice } from "../commands/signingEvidence";
import type { DecodedSignature } from "../commands/signatureImage";
import type { ResignationDeps } from "../deps";
import { enqueueMessage } from "../outbox/outbox";
import type { SignatureEvidence } from "../rules/noticeDocument";
import { buildWorkRulesDocument, workRulesHash, WORK_RULES_TITLE, type WorkRulesDocument } from "../rules/workRulesDocument";
import { employeeContext } from "../store/orgContext";

export const WORK_RULES_REMINDER = "work_rules_signature";

interface Row {
  userid: string;
  opened_at: Date;
  document: WorkRulesDocument | null;
  document_sha256: string | null;
  signed_at: Date | null;
  evidence: SignatureEvidence["record"] | null;
  evidence_sha256: string | null;
}

async function load(manager: EntityManager, userid: string, lock = false): Promise<Row | null> {
  const [row] = await manager.query(
    `SELECT userid, opened_at, document, document_sha256, signed_at, evidence, evidence_sha256 FROM work_rules_signature WHERE userid = $1 ${lock ? "FOR UPDATE" : ""}`,
    [userid],
  );
  return row ?? null;
}

/**
 * A member joined (change_contact create_user): they are given the work-account rules to sign in the
 * mini-program, by a bot notice now and a reminder every day until signed. WeCom's 新增成员事件
 * (developer.work.weixin.qq.com/document/path/90970) carries UserID and Department, and for callback URLs
 * set up after 2022-08-15 nothing else (Name and the rest are no longer called back — noted beside the
 * event's fields in the wecom-rs event types), so nothing here reads the event's name: the directory
 * (written by org's handler in the same transaction) and the sync supply it. A redelivered event opens
 * nothing twice.
 */
export async function offerWorkRulesToNewMember(manager: EntityManager, deps: Pick<ResignationDeps, "clock" | "miniProgramAppId">, event: ContactEvent): Promise<void> {
  if (event.changeType !== "create_user") return;
  const now = deps.clock.now();
  const inserted: unknown[] = await manager.query(
    `INSERT INTO work_rules_signature (userid, opened_at) VALUES ($1, $2) ON CONFLICT (userid) DO NOTHING RETURNING userid`,
    [event.userId, now],
  );
  if (inserted.length === 0) return;
  const departmentId = Number(event.mainDepartment ?? event.department[0]);
  await openReminder(manager, {
    subjectKind: WORK_RULES_REMINDER,
    subjectId: event.userId,
    recipientUserid: event.userId,
    departmentId: Number.isInteger(departmentId) ? departmentId : null,
    openedAt: now,
  });
  await enqueueMessage(manager, null, "employee_notice", workRulesNotice(event.userId, deps.miniProgramAppId, "欢迎加入！请阅读并签署企业微信工作账号使用规则。"), now);
}

function workRulesNotice(userid: string, appId: string | undefined, lead: string) {
  return openMiniProgramMessage(
    userid,
    appId,
    {
      title: "工作账号规则待签署",
      description: lead,
      items: [
        { key: "内容", value: "账号归属、会话存档、禁止行为" },
        { key: "告知", value: "员工个人信息处理（个保法17条）" },
      ],
      textFallback: `${lead}内容包括：工作账号及家长归属学校、会话存档、在职和离职前后禁止的行为，以及员工个人信息处理告知。请在小程序「工作账号规则」中签署。`,
    },
    mpPagePath("workRules"),
  );
}

/** The document the member reads now: the signed copy once signed, otherwise built from the directory today. */
async function documentFor(manager: EntityManager, userid: string, now: Date, retentionDays: number): Promise<WorkRulesDocument> {
  const ctx = await employeeContext(manager, userid);
  return buildWorkRulesDocument({
    employeeName: ctx.staff.name,
    userId: userid,
    employerName: ctx.employerName,
    branchName: ctx.branchName,
    issuedOn: fromInstant(now),
    archiveRetentionDays: retentionDays,
  });
}

export function presentWorkRules(doc: WorkRulesDocument, sha256: string, row: Pick<Row, "signed_at" | "evidence"> | null): WorkRules {
  return {
    title: doc.title,
    text: doc.text,
    sha256,
    signed:
      row?.signed_at && row.evidence
        ? { typedName: row.evidence.typedName, signedAt: new Date(row.signed_at).toISOString(), signatureSha256: row.evidence.signatureImageSha256, documentSha256: row.evidence.documentHash }
        : null,
  };
}

/** What the mini-program shows the member (anyone may read and sign the rules, also without a create_user event). */
export async function currentWorkRules(manager: EntityManager, userid: string, now: Date, retentionDays: number): Promise<WorkRules> {
  const row = await load(manager, userid);
  if (row?.signed_at && row.document && row.document_sha256) return presentWorkRules(row.document, row.document_sha256, row);
  const doc = await documentFor(manager, userid, now, retentionDays);
  return presentWorkRules(doc, workRulesHash(doc), null);
}

/**
 * The member signs the rules with the resignation notice's evidence (evidenceOfSigning); the document
 * signed is the one whose hash the page showed, so a name changed meanwhile is refused, not signed blind.
 */
export async function signWorkRules(
  manager: EntityManager,
  now: Date,
  userid: string,
  signature: DecodedSignature,
  device: SigningDevice,
  shownSha256: string | undefined,
  retentionDays: number,
): Promise<WorkRules> {
  await manager.query(`INSERT INTO work_rules_signature (userid, opened_at) VALUES ($1, $2) ON CONFLICT (userid) DO NOTHING`, [userid, now]);
  const row = (await load(manager, userid, true))!;
  if (row.signed_at) throw new ConflictError("工作账号规则已签署");
  const doc = await documentFor(manager, userid, now, retentionDays);
  if (signature.typedName !== doc.fields.employeeName) {
    throw new ValidationError("签名姓名须与本人姓名一致", [{ path: "typedName", message: "must equal the employee's name" }]);
  }
  const sha256 = workRulesHash(doc);
  if (shownSha256 !== undefined && shownSha256 !== sha256) throw new ConflictError("规则内容已更新，请重新阅读后再签署");
  const evidence = evidenceOfSigning("work_rules_signature/v1", sha256, signature, userid, now, device);
  await manager.query(
    `UPDATE work_rules_signature SET document = $2, document_sha256 = $3, signed_at = $4, signature_image = $5, evidence = $6, evidence_sha256 = $7 WHERE userid = $1`,
    [userid, JSON.stringify(doc), sha256, now, signature.image, evidence.canonical, evidence.hash],
  );
  await closeReminders(manager, WORK_RULES_REMINDER, userid, now);
  return presentWorkRules(doc, sha256, { signed_at: now, evidence: evidence.record });
}

/**
 * A resignation case opened for the member: the signed copy of their work-account rules (document, its hash,
 * the signature evidence) enters the case's dossier, so the rules the leaver agreed to are part of the record.
 */
export async function copySignedWorkRulesIntoDossier(manager: EntityManager, caseId: string, userid: string, now: Date): Promise<void> {
  const row = await load(manager, userid);
  if (!row?.signed_at || !row.document) return;
  await appendDossier(manager, caseId, now, "work_rules_signed", { type: "system", id: "resignation" }, {
    title: row.document.title,
    signedAt: new Date(row.signed_at).toISOString(),
    documentSha256: row.document_sha256,
    evidenceSha256: row.evidence_sha256,
    signatureSha256: row.evidence?.signatureImageSha256 ?? null,
    document: JSON.parse(JSON.stringify(row.document)),
    evidence: JSON.parse(JSON.stringify(row.evidence)),
  });
}

/** Daily (the branch's reminder policy) until signed; after a few, the member's HR is told. */
export const workRulesReminders: ReminderSubject = {
  kind: WORK_RULES_REMINDER,
  async isOpen(manager, r) {
    const rows = await manager.query(
      `SELECT 1 FROM work_rules_signature w JOIN staff s ON s.userid = w.userid WHERE w.userid = $1 AND w.signed_at IS NULL AND s.status <> $2`,
      [r.subjectId, StaffStatus.left],
    );
    return rows.length > 0;
  },
  async remind(manager, r, seq, now) {
    await enqueueMessage(manager, null, "reminder", { type: "text", touser: [r.recipientUserid], content: `【提醒】您的《${WORK_RULES_TITLE}》尚未签署，请在小程序「工作账号规则」中阅读并签署。（第 ${seq} 次提醒）` }, now);
  },
  async escalate(manager, r, now) {
    const hr = (await responsibleHr(manager, r.subjectId)).filter((u) => u !== r.subjectId);
    if (hr.length === 0) return [];
    const [staff] = await manager.query(`SELECT name FROM staff WHERE userid = $1`, [r.subjectId]);
    await enqueueMessage(manager, null, "hr_notice", { type: "text", touser: hr, content: `【入职规则未签署】${staff?.name ?? "新员工"}已连续提醒 ${r.remindersSent + 1} 次，仍未签署企业微信工作账号使用规则，请跟进。` }, now);
    return hr;
  },
};
