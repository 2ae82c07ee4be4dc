import { randomBytes, randomInt } from "node:crypto";
import type { XmlField } from "./eventXml";

/**
 * Builders for the events of reference §2. Each returns the fields after the
 * common header (ToUserName, CreateTime), which the deliverer adds.
 */
export interface SandboxEvent {
  /** Short label for delivery records, e.g. "change_external_contact/add_external_contact". */
  label: string;
  /** FromUserName: the member's userid, or "sys" for system events. */
  from: string;
  fields: XmlField[];
}

/** WelcomeCode / ResponseCode style opaque strings. */
export function opaqueCode(): string {
  return randomBytes(24).toString("base64url");
}

/** Message ids are 19-digit numbers; kept as strings because they overflow doubles. */
export function nineteenDigitMsgId(): string {
  return `${randomInt(1, 10)}${Array.from({ length: 18 }, () => randomInt(0, 10)).join("")}`;
}

export function memberText(userid: string, content: string, agentId: number, msgId: string): SandboxEvent {
  return {
    label: "text",
    from: userid,
    fields: [
      ["MsgType", "text"],
      ["Content", content],
      ["MsgId", BigInt(msgId)],
      ["AgentID", agentId],
    ],
  };
}

export function enterAgent(userid: string, agentId: number): SandboxEvent {
  return {
    label: "enter_agent",
    from: userid,
    fields: [
      ["MsgType", "event"],
      ["Event", "enter_agent"],
      ["EventKey", ""],
      ["AgentID", agentId],
    ],
  };
}

export function templateCardEvent(input: {
  userid: string;
  agentId: number;
  taskId: string;
  cardType: string;
  buttonKey: string;
  responseCode: string;
  /** A card with a selection (button_selection, or a vote/multiple card): what the member had picked. */
  selected?: Array<{ questionKey: string; optionIds: string[] }>;
}): SandboxEvent {
  // SelectedItems/SelectedItem{QuestionKey, OptionIds/OptionId} right after ResponseCode, as WeCom's XML is
  // modelled by WxJava's weixin-java-cp XStream callback classes (@XStreamAlias("SelectedItems") after
  // "ResponseCode"); absent when the card has no selection.
  const selected: XmlField[] = input.selected?.length
    ? [["SelectedItems", input.selected.map((s): XmlField => ["SelectedItem", [["QuestionKey", s.questionKey], ["OptionIds", s.optionIds.map((id): XmlField => ["OptionId", id])]]])]]
    : [];
  return {
    label: "template_card_event",
    from: input.userid,
    fields: [
      ["MsgType", "event"],
      ["Event", "template_card_event"],
      ["EventKey", input.buttonKey],
      ["TaskId", input.taskId],
      ["CardType", input.cardType],
      ["ResponseCode", input.responseCode],
      ...selected,
      ["AgentID", input.agentId],
    ],
  };
}

function event(name: string, changeType: string, extra: XmlField[]): SandboxEvent {
  return {
    label: `${name}/${changeType}`,
    from: "sys",
    fields: [["MsgType", "event"], ["Event", name], ["ChangeType", changeType], ...extra],
  };
}

export type ExternalContactChange =
  | { changeType: "add_external_contact" | "add_half_external_contact"; state?: string; welcomeCode: string }
  | { changeType: "edit_external_contact" | "del_follow_user" }
  | { changeType: "del_external_contact"; source?: "DELETE_BY_TRANSFER" }
  | { changeType: "transfer_fail"; failReason: "customer_refused" | "customer_limit_exceed" }
  | { changeType: "msg_audit_approved"; welcomeCode: string };

export function changeExternalContact(userid: string, externalUserId: string, change: ExternalContactChange): SandboxEvent {
  const extra: XmlField[] = [
    ["UserID", userid],
    ["ExternalUserID", externalUserId],
  ];
  if ("state" in change && change.state) extra.push(["State", change.state]);
  if ("welcomeCode" in change) extra.push(["WelcomeCode", change.welcomeCode]);
  if ("source" in change && change.source) extra.push(["Source", change.source]);
  if ("failReason" in change) extra.push(["FailReason", change.failReason]);
  return event("change_external_contact", change.changeType, extra);
}

export function changeContact(
  changeType: "create_user" | "update_user" | "delete_user",
  user: { userid: string; name?: string; departments?: number[]; mainDepartment?: number; position?: string; status?: number },
): SandboxEvent {
  const extra: XmlField[] = [["UserID", user.userid]];
  if (changeType !== "delete_user") {
    if (user.name !== undefined) extra.push(["Name", user.name]);
    if (user.departments) extra.push(["Department", user.departments.join(",")]);
    if (user.mainDepartment !== undefined) extra.push(["MainDepartment", user.mainDepartment]);
    if (user.position !== undefined) extra.push(["Position", user.position]);
    if (user.status !== undefined) extra.push(["Status", user.status]);
  }
  return event("change_contact", changeType, extra);
}

export interface ExternalChatChange {
  changeType: "create" | "update" | "dismiss";
  updateDetail?: "add_member" | "del_member" | "change_owner" | "change_name" | "change_notice";
  joinScene?: number;
  quitScene?: number;
  memberIds?: string[];
  lastMemVer?: number;
  curMemVer?: number;
}

export function changeExternalChat(chatId: string, change: ExternalChatChange): SandboxEvent {
  const extra: XmlField[] = [["ChatId", chatId]];
  if (change.updateDetail) extra.push(["UpdateDetail", change.updateDetail]);
  if (change.joinScene !== undefined) extra.push(["JoinScene", change.joinScene]);
  if (change.quitScene !== undefined) extra.push(["QuitScene", change.quitScene]);
  if (change.memberIds) {
    extra.push(["MemChangeCnt", change.memberIds.length]);
    extra.push(["MemChangeList", change.memberIds.map((id): XmlField => ["Item", id])]);
  }
  if (change.lastMemVer !== undefined) extra.push(["LastMemVer", String(change.lastMemVer)]);
  if (change.curMemVer !== undefined) extra.push(["CurMemVer", String(change.curMemVer)]);
  return event("change_external_chat", change.changeType, extra);
}

export function msgauditNotify(agentId: number): SandboxEvent {
  return {
    label: "msgaudit_notify",
    from: "sys",
    fields: [["MsgType", "event"], ["AgentID", agentId], ["Event", "msgaudit_notify"]],
  };
}
