import { XMLParser } from "fast-xml-parser";
import { CallbackRejected } from "../crypto/callbackRejected";
import type { ContactEvent, ContactPartyFields, ExternalChatEvent, ContactUserFields, SelectedItem, WeComEvent } from "./types";

type Fields = Record<string, unknown>;

/** Elements that repeat; always arrays so one and many look the same. */
const repeated = new Set(["Item", "SelectedItem", "OptionId", "OpitonId"]);

/**
 * parseTagValue:false keeps every value a string: a 19-digit MsgId as a number
 * would silently lose digits. CDATA content is kept untrimmed.
 */
const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => repeated.has(name),
});

/** Parse any XML document; lenient, so callers must check the shape they need. */
export function parseXml(xml: string): Fields {
  try {
    return parser.parse(xml) as Fields;
  } catch {
    throw new CallbackRejected("malformed_xml");
  }
}

const text = (f: Fields, name: string): string | undefined => {
  const v = f[name];
  return typeof v === "string" ? v : undefined;
};

const required = (f: Fields, name: string): string => {
  const v = text(f, name);
  if (v === undefined) throw new CallbackRejected("malformed_xml");
  return v;
};

const asObject = (v: unknown): Fields => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Fields) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]);
const commaList = (v: string | undefined): string[] => (v ? v.split(",").filter(Boolean) : []);

/** Drop undefined properties so the stored payload and the dedupe key carry only what WeCom sent. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Turn decrypted callback XML into a WeComEvent; malformed input is a CallbackRejected("malformed_xml"). */
export function parseEvent(xml: string): WeComEvent {
  const root = parseXml(xml);
  const f = asObject(root.xml);
  const createTime = required(f, "CreateTime");
  if (!/^\d{1,12}$/.test(createTime)) throw new CallbackRejected("malformed_xml");
  const common = compact({
    corpId: required(f, "ToUserName"),
    from: required(f, "FromUserName"),
    createTime: Number(createTime),
    agentId: text(f, "AgentID"),
  });
  const msgType = required(f, "MsgType");
  if (msgType === "text") {
    return { ...common, type: "text", msgId: required(f, "MsgId"), content: text(f, "Content") ?? "" };
  }
  if (msgType === "event") {
    const known = parseKnownEvent(f, common);
    if (known) return known;
  }
  return compact({
    ...common,
    type: "unknown",
    msgType,
    event: text(f, "Event"),
    changeType: text(f, "ChangeType"),
    fields: f,
  });
}

type Common = Pick<WeComEvent, "corpId" | "from" | "createTime" | "agentId">;

function parseKnownEvent(f: Fields, common: Common): WeComEvent | undefined {
  switch (text(f, "Event")) {
    case "enter_agent":
      return { ...common, type: "enter_agent", eventKey: text(f, "EventKey") ?? "" };
    case "msgaudit_notify":
      return { ...common, type: "msgaudit_notify" };
    case "change_external_contact":
      return externalContact(f, common);
    case "change_external_chat":
      return externalChat(f, common);
    case "change_contact":
      return contact(f, common);
    case "template_card_event":
      return templateCard(f, common);
    default:
      return undefined;
  }
}

function externalContact(f: Fields, common: Common): WeComEvent | undefined {
  const base = {
    ...common,
    type: "change_external_contact" as const,
    userId: required(f, "UserID"),
    externalUserId: required(f, "ExternalUserID"),
  };
  const changeType = text(f, "ChangeType");
  switch (changeType) {
    case "add_external_contact":
    case "add_half_external_contact":
      return compact({ ...base, changeType, state: text(f, "State"), welcomeCode: text(f, "WelcomeCode") });
    case "edit_external_contact":
    case "del_follow_user":
      return { ...base, changeType };
    case "del_external_contact":
      return compact({ ...base, changeType, source: text(f, "Source") });
    case "transfer_fail":
      return { ...base, changeType, failReason: required(f, "FailReason") };
    case "msg_audit_approved":
      return compact({ ...base, changeType, welcomeCode: text(f, "WelcomeCode") });
    default:
      return undefined;
  }
}

function externalChat(f: Fields, common: Common): WeComEvent | undefined {
  const changeType = text(f, "ChangeType");
  if (changeType !== "create" && changeType !== "update" && changeType !== "dismiss") return undefined;
  return compact<ExternalChatEvent>({
    ...common,
    type: "change_external_chat",
    changeType,
    chatId: required(f, "ChatId"),
    updateDetail: text(f, "UpdateDetail"),
    joinScene: text(f, "JoinScene"),
    quitScene: text(f, "QuitScene"),
    memChangeCnt: text(f, "MemChangeCnt"),
    memChangeList: asArray(asObject(f.MemChangeList).Item).filter((v): v is string => typeof v === "string"),
    lastMemVer: text(f, "LastMemVer"),
    curMemVer: text(f, "CurMemVer"),
  });
}

function contactUser(f: Fields): ContactUserFields {
  return compact({
    userId: required(f, "UserID"),
    newUserId: text(f, "NewUserID"),
    name: text(f, "Name"),
    department: commaList(text(f, "Department")),
    mainDepartment: text(f, "MainDepartment"),
    position: text(f, "Position"),
    mobile: text(f, "Mobile"),
    email: text(f, "Email"),
    status: text(f, "Status"),
    alias: text(f, "Alias"),
  });
}

function contactParty(f: Fields): ContactPartyFields {
  return compact({
    partyId: required(f, "Id"),
    name: text(f, "Name"),
    parentId: text(f, "ParentId"),
    order: text(f, "Order"),
  });
}

function contact(f: Fields, common: Common): ContactEvent | undefined {
  const base = { ...common, type: "change_contact" as const };
  const changeType = text(f, "ChangeType");
  switch (changeType) {
    case "create_user":
    case "update_user":
      return { ...base, changeType, ...contactUser(f) };
    case "delete_user":
      return { ...base, changeType, userId: required(f, "UserID") };
    case "create_party":
    case "update_party":
      return { ...base, changeType, ...contactParty(f) };
    case "delete_party":
      return { ...base, changeType, partyId: required(f, "Id") };
    default:
      return undefined;
  }
}

/** WeCom's own sample spells OptionIds/OptionId as OpitonIds/OpitonId; accept both. */
function selectedItems(f: Fields): SelectedItem[] {
  return asArray(asObject(f.SelectedItems).SelectedItem).map((raw) => {
    const item = asObject(raw);
    const ids = asObject(item.OptionIds ?? item.OpitonIds);
    return {
      questionKey: text(item, "QuestionKey") ?? "",
      optionIds: asArray(ids.OptionId ?? ids.OpitonId).filter((v): v is string => typeof v === "string"),
    };
  });
}

function templateCard(f: Fields, common: Common): WeComEvent {
  return compact({
    ...common,
    type: "template_card_event" as const,
    eventKey: text(f, "EventKey") ?? "",
    taskId: required(f, "TaskId"),
    cardType: text(f, "CardType"),
    responseCode: text(f, "ResponseCode"),
    selectedItems: selectedItems(f),
  });
}
