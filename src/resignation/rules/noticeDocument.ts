import { assertLocalDate, compareDates, formatDateZh, type LocalDate } from "../../platform/localDate";
import { canonicalHash, canonicalJson, sha256Hex } from "../../dossier";
import { ValidationError } from "../../platform/errors";

/**
 * The written resignation notice (书面离职通知) and the evidence that the
 * employee signed it. ESL 13 asks that any later change to the document or to
 * the signature be detectable: the document is hashed over its canonical form
 * (fields and rendered text), the signature record binds that hash to the
 * signature image's hash, the signer's WeCom identity, the server time and
 * the device, and the record itself is hashed. Verification recomputes all of it.
 */

export const REASON_CATEGORIES = {
  personal_development: "个人发展",
  family: "家庭原因",
  health: "身体原因",
  relocation: "工作地点变动",
  compensation: "薪酬福利",
  further_study: "继续深造",
  other: "其他原因",
} as const;
export type ReasonCategory = keyof typeof REASON_CATEGORIES;

export interface NoticeFields {
  employeeName: string;
  userId: string;
  position: string;
  branchName: string;
  employerName: string;
  noticeDate: LocalDate;
  requestedLastDay: LocalDate;
  reasonCategory: ReasonCategory;
  reasonText: string;
}

export interface NoticeDocument {
  schema: "resignation_notice/v1";
  fields: NoticeFields;
  title: string;
  text: string;
}

const MAX_REASON = 500;

export function buildNoticeDocument(fields: NoticeFields): NoticeDocument {
  for (const key of ["employeeName", "userId", "position", "branchName", "employerName"] as const) {
    if (!fields[key]?.trim()) throw new ValidationError(`离职通知缺少必填项：${key}`);
  }
  assertLocalDate(fields.noticeDate, "noticeDate");
  assertLocalDate(fields.requestedLastDay, "requestedLastDay");
  if (compareDates(fields.requestedLastDay, fields.noticeDate) < 0) throw new ValidationError("最后工作日不能早于通知日期");
  if (!(fields.reasonCategory in REASON_CATEGORIES)) throw new ValidationError("离职原因类别无效");
  const reasonText = (fields.reasonText ?? "").trim();
  if (reasonText.length > MAX_REASON) throw new ValidationError(`离职原因说明不超过${MAX_REASON}字`);

  const f: NoticeFields = {
    employeeName: fields.employeeName.trim(),
    userId: fields.userId.trim(),
    position: fields.position.trim(),
    branchName: fields.branchName.trim(),
    employerName: fields.employerName.trim(),
    noticeDate: fields.noticeDate,
    requestedLastDay: fields.requestedLastDay,
    reasonCategory: fields.reasonCategory,
    reasonText,
  };
  const reason = REASON_CATEGORIES[f.reasonCategory] + (reasonText ? `：${reasonText}` : "");
  const text = [
    `致${f.employerName}：`,
    "",
    // The person reads their name; the WeCom userid stays in the document's fields (hashed with it) for machines.
    // Notices signed before this template keep their own text (the signed bytes never change).
    `本人${f.employeeName}，现任${f.branchName}${f.position}。` +
      `因${reason}，本人依据《中华人民共和国劳动合同法》的规定，于${formatDateZh(f.noticeDate)}以书面形式通知公司解除劳动合同，` +
      `申请最后工作日为${formatDateZh(f.requestedLastDay)}。`,
    "",
    "本人将按约定做好工作交接。",
    "",
    "特此通知。",
    "",
    `通知人：${f.employeeName}`,
    `日期：${formatDateZh(f.noticeDate)}`,
  ].join("\n");
  return { schema: "resignation_notice/v1", fields: f, title: "离职通知书", text };
}

/** The exact bytes that are hashed and archived. */
export function serialiseNotice(doc: NoticeDocument): string {
  return canonicalJson(doc);
}

export function noticeHash(doc: NoticeDocument): string {
  return sha256Hex(serialiseNotice(doc));
}

/** What was signed: the resignation notice, or the work-account rules of onboarding (same evidence, own schema). */
export type SignatureSchema = "resignation_notice_signature/v1" | "work_rules_signature/v1";

export interface SignatureEvidenceInput {
  /** Default: the resignation notice's. */
  schema?: SignatureSchema;
  documentHash: string;
  signatureImageSha256: string;
  typedName: string;
  wecomUserId: string;
  /** Server receive time (never the client's clock). */
  serverTime: Date;
  device: { userAgent?: string; platform?: string; ip?: string };
}

export interface SignatureEvidence {
  record: {
    schema: SignatureSchema;
    documentHash: string;
    signatureImageSha256: string;
    typedName: string;
    wecomUserId: string;
    serverTime: string;
    device: { userAgent?: string; platform?: string; ip?: string };
  };
  canonical: string;
  hash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function signatureEvidence(input: SignatureEvidenceInput): SignatureEvidence {
  if (!HEX64.test(input.documentHash)) throw new ValidationError("文书哈希无效");
  if (!HEX64.test(input.signatureImageSha256)) throw new ValidationError("签名图片哈希无效");
  if (!input.typedName?.trim()) throw new ValidationError("请输入本人姓名");
  if (!input.wecomUserId) throw new ValidationError("缺少签署人企业微信身份");
  if (Number.isNaN(input.serverTime.getTime())) throw new ValidationError("签署时间无效");
  const record: SignatureEvidence["record"] = {
    schema: input.schema ?? "resignation_notice_signature/v1",
    documentHash: input.documentHash,
    signatureImageSha256: input.signatureImageSha256,
    typedName: input.typedName.trim(),
    wecomUserId: input.wecomUserId,
    serverTime: input.serverTime.toISOString(),
    device: { userAgent: input.device.userAgent, platform: input.device.platform, ip: input.device.ip },
  };
  const canonical = canonicalJson(record);
  return { record, canonical, hash: sha256Hex(canonical) };
}

export type SignedNoticeProblem =
  | "document_changed"
  | "signature_image_changed"
  | "evidence_changed"
  | "signer_not_employee"
  | "typed_name_mismatch";

export interface SignedNotice {
  document: NoticeDocument;
  signatureImage: Uint8Array;
  evidence: SignatureEvidence["record"];
  /** The evidence hash stored at signing (and in the dossier). */
  evidenceHash: string;
}

/** Recomputes every hash from the stored artefacts; an empty problem list means intact. */
export function verifySignedNotice(signed: SignedNotice): { ok: boolean; problems: SignedNoticeProblem[] } {
  const problems: SignedNoticeProblem[] = [];
  if (canonicalHash(signed.evidence) !== signed.evidenceHash) problems.push("evidence_changed");
  if (noticeHash(signed.document) !== signed.evidence.documentHash) problems.push("document_changed");
  if (sha256Hex(signed.signatureImage) !== signed.evidence.signatureImageSha256) problems.push("signature_image_changed");
  // The signature-creation data must belong to the signer (ESL 13(1)): the WeCom identity that signed is the employee named.
  if (signed.evidence.wecomUserId !== signed.document.fields.userId) problems.push("signer_not_employee");
  if (signed.evidence.typedName !== signed.document.fields.employeeName) problems.push("typed_name_mismatch");
  return { ok: problems.length === 0, problems };
}
