import { z } from "zod";
import { isLocalDate } from "../platform/localDate";
import { REASON_CATEGORIES, type ReasonCategory } from "./rules/noticeDocument";

const localDate = z.string().refine(isLocalDate, "应为 YYYY-MM-DD 格式的有效日期");
const id = z.string().uuid("无效的编号");
const reasonCategory = z.enum(Object.keys(REASON_CATEGORIES) as [ReasonCategory, ...ReasonCategory[]]);
const signature = {
  typedName: z.string().trim().min(1, "请输入本人姓名").max(30),
  signatureImage: z.string().startsWith("data:image/png;base64,", "签名图片格式无效"),
  confirm: z.boolean(),
};

export const startSchema = z.object({
  reasonCategory,
  reasonText: z.string().trim().min(1, "请填写离职原因").max(500, "离职原因不超过500字"),
  requestedLastDay: localDate,
  handoverNotes: z.string().trim().max(1000, "交接说明不超过1000字").optional().default(""),
});
export type StartInput = z.infer<typeof startSchema>;

export const caseIdSchema = z.object({ id });
/** A checklist item of a case: both ids are the URL's. */
export const caseItemParams = z.object({ id, itemId: id });

export const signNoticeSchema = z.object({
  ...signature,
  device: z
    .object({ model: z.string().max(100).optional(), system: z.string().max(100).optional(), platform: z.string().max(50).optional(), version: z.string().max(50).optional() })
    .default({}),
});
export type SignNoticeInput = z.infer<typeof signNoticeSchema>;

export const itemDoneSchema = z.object({ note: z.string().trim().max(500).optional() });
export const signChecklistSchema = z.object(signature);
export const withdrawSchema = z.object({ reason: z.string().trim().max(500).optional().default("本人撤回") });

export const registerSchema = z.object({
  employeeUserid: z.string().min(1).max(64),
  channel: z.enum(["wechat", "wecom_chat", "phone", "in_person", "email", "other"]),
  receivedAt: z.string().datetime({ offset: true }),
  evidenceText: z.string().trim().min(1, "请填写员工的原话或通话记录").max(2000),
  requestedLastDay: localDate,
  reasonCategory: reasonCategory.default("other"),
  reasonText: z.string().trim().max(500).default(""),
});

export const withdrawDecisionSchema = z.object({ accept: z.boolean(), note: z.string().trim().max(500).default("") });
export const consoleApprovalSchema = z.object({
  step: z.string().min(1).max(64),
  decision: z.enum(["approve", "reject"]),
  reasonOptionId: z.string().max(32).optional(),
});
export const resubmitSchema = z.object({ note: z.string().trim().max(500).default("") });
export const partiesSchema = z.object({ receiverUserid: z.string().min(1).max(64).optional(), supervisorUserid: z.string().min(1).max(64).optional() });
export const agreementSchema = z.object({ lastDay: localDate, proposedBy: z.enum(["employee", "employer"]) });
export const alumniSchema = z.object({
  rehireEligible: z.boolean().optional(),
  performanceGrade: z.string().max(20).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(30)).max(20).optional(),
});
/** An exported dossier sent back for verification (e.g. the copy a lawyer received). */
export const dossierVerifySchema = z.object({ dossier: z.object({ caseId: z.unknown().optional(), entries: z.unknown().optional() }).optional() });
