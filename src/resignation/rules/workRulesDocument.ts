import { canonicalJson, sha256Hex } from "../../dossier";
import { ValidationError } from "../../platform/errors";
import { assertLocalDate, formatDateZh, type LocalDate } from "../../platform/localDate";

/**
 * The work-account rules a new member e-signs at onboarding (seed 001 "法律风险前置": the rules are known and
 * signed before any dispute, and the signed copy is evidence in a later resignation's dossier). One document
 * holds the company's rules for the WeCom work account and the notice to employees about the processing of
 * their personal information (PIPL 17: who processes, for what purpose and how, which data, how long, how to
 * exercise their rights). Hashed over its canonical form like the resignation notice, so the same evidence
 * (ESL 13) binds the signature to exactly this text.
 */
export interface WorkRulesFields {
  employeeName: string;
  userId: string;
  employerName: string;
  branchName: string;
  /** The day the rules were issued to the member (their joining day). */
  issuedOn: LocalDate;
  /** How long archived chats are kept (ARCHIVE_RETENTION_DAYS), stated in the PIPL notice. */
  archiveRetentionDays: number;
}

export interface WorkRulesDocument {
  schema: "work_account_rules/v1";
  fields: WorkRulesFields;
  title: string;
  text: string;
}

export const WORK_RULES_TITLE = "企业微信工作账号使用规则及员工个人信息处理告知书";

export function buildWorkRulesDocument(fields: WorkRulesFields): WorkRulesDocument {
  for (const key of ["employeeName", "userId", "employerName", "branchName"] as const) {
    if (!fields[key]?.trim()) throw new ValidationError(`工作账号规则缺少必填项：${key}`);
  }
  assertLocalDate(fields.issuedOn, "issuedOn");
  if (!Number.isInteger(fields.archiveRetentionDays) || fields.archiveRetentionDays <= 0) throw new ValidationError("会话存档保存期限无效");
  const f = { ...fields, employeeName: fields.employeeName.trim(), employerName: fields.employerName.trim(), branchName: fields.branchName.trim() };
  const text = [
    `致${f.employeeName}（${f.branchName}）：`,
    "",
    "一、工作账号归属",
    `1. 您的企业微信账号由${f.employerName}开通并所有，仅用于工作。`,
    "2. 通过工作账号添加的家长（客户）、建立的家长群及其中的沟通记录，属于学校的经营资源，不属于个人。",
    "3. 离职时，您负责的家长和群聊将由学校转交给接替老师，您无须也不得交出个人微信。",
    "",
    "二、会话存档",
    "1. 学校对工作账号与已同意存档的家长之间的会话进行存档，加密保存，用于服务质量、纠纷处理和工作交接。",
    "2. 家长未同意或撤回同意的，不存档其会话。",
    "",
    "三、在职期间及离职前后禁止的行为",
    "1. 未经学校同意，使用工作账号向家长群发消息，或发送与教学服务无关的内容；",
    "2. 删除家长、解散或退出家长群，或以其他方式使家长与学校失去联系；",
    "3. 引导家长添加个人微信、个人手机号或其他私人联系方式，或将家长转至其他机构；",
    "4. 离职后继续使用工作账号，或以任何方式使用在职期间获取的家长信息。",
    "违反上述规定的，学校将依照员工手册处理；给学校造成损失的，依法承担赔偿责任。",
    "",
    "四、员工个人信息处理告知（《个人信息保护法》第十七条）",
    `1. 处理者：${f.employerName}，联系方式：本校区人事部门。`,
    "2. 处理目的和方式：为人力资源管理、工作账号管理和会话存档所必需，在企业微信及本服务中以电子方式处理。",
    "3. 个人信息种类：姓名、企业微信账号、所属部门和岗位、工作账号中的沟通记录、电子签名及签署设备信息。",
    `4. 保存期限：会话存档自存储起保存 ${f.archiveRetentionDays} 天，期满删除；人事记录按劳动法律法规规定的期限保存。`,
    "5. 您的权利：您有权查阅、复制、更正、补充您的个人信息，并可要求解释处理规则；请向本校区人事部门提出，学校将及时答复，拒绝的说明理由（《个人信息保护法》第五十条）。",
    "",
    "本人已阅读并理解上述规则和告知，愿意遵守。",
    "",
    `签署人：${f.employeeName}`,
    `日期：${formatDateZh(f.issuedOn)}`,
  ].join("\n");
  return { schema: "work_account_rules/v1", fields: f, title: WORK_RULES_TITLE, text };
}

export function workRulesHash(doc: WorkRulesDocument): string {
  return sha256Hex(canonicalJson(doc));
}
