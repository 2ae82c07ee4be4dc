import type { EntityManager } from "typeorm";
import { formatDateZh, fromInstant } from "../../platform/localDate";
import type { Actor } from "../../org";
import { authorize } from "../../org";
import { StaffDirectory } from "../../org";
import { mpPagePath } from "../../../miniprogram/pagePaths";
import { openMiniProgramMessage } from "../bot/openMiniProgram";
import type { ResignationDeps } from "../deps";
import { enqueueMessage } from "../outbox/outbox";
import type { ReasonCategory } from "../rules/noticeDocument";
import type { CaseRow } from "../store/caseStore";
import { createCase } from "./createCase";

export interface InformalNoticeInput {
  employeeUserid: string;
  channel: "wechat" | "wecom_chat" | "phone" | "in_person" | "email" | "other";
  /** When the employee said it (ISO instant). */
  receivedAt: string;
  evidenceText: string;
  requestedLastDay: string;
  reasonCategory: ReasonCategory;
  reasonText: string;
}

/**
 * HR records a resignation the employee announced informally (a chat
 * message, a call). It is only a record: the employee is asked in WeCom to
 * confirm it and sign the written notice themselves.
 */
export async function registerInformalNotice(
  manager: EntityManager,
  deps: ResignationDeps,
  actor: Actor,
  input: InformalNoticeInput,
): Promise<CaseRow> {
  const now = deps.clock.now();
  const departmentPaths = await new StaffDirectory(manager).departmentPaths(input.employeeUserid);
  authorize(actor, "update", { kind: "case", employeeUserid: input.employeeUserid, departmentPaths, approverUserids: [] });
  const row = await createCase(
    manager,
    {
      employeeUserid: input.employeeUserid,
      origin: "hr_registration",
      noticeDate: fromInstant(new Date(input.receivedAt)),
      requestedLastDay: input.requestedLastDay,
      reasonCategory: input.reasonCategory,
      reasonText: input.reasonText,
      handoverNotes: "",
      registeredBy: actor.userid,
      registrationEvidence: { channel: input.channel, receivedAt: new Date(input.receivedAt).toISOString(), text: input.evidenceText, recordedAt: now.toISOString() },
    },
    { type: "hr", id: actor.userid },
    now,
  );
  const message = openMiniProgramMessage(input.employeeUserid, deps.miniProgramAppId, {
    title: "请确认离职登记",
    description: "确认并签署通知",
    items: [
      { key: "登记日期", value: formatDateZh(row.noticeDate) },
      { key: "最后工作日", value: formatDateZh(row.lastDay) },
    ],
    textFallback:
      `人事已根据您${formatDateZh(row.noticeDate)}的离职表示登记了离职申请，申请最后工作日为${formatDateZh(row.lastDay)}。` +
      "请在工作台打开“离职办理”小程序确认并签署书面离职通知；如非本人意愿，请直接联系人事。",
  }, mpPagePath("sign", { id: row.id }));
  await enqueueMessage(manager, row.id, "employee_notice", message, now);
  return row;
}
