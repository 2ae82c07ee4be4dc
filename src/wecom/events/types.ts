/**
 * Decrypted WeCom callback payloads as a discriminated union on `type` (and,
 * where WeCom multiplexes one event, on `changeType`). Values stay strings as
 * WeCom sent them, except CreateTime, so 19-digit ids never lose precision.
 */
interface Common {
  /** ToUserName: the corp id. */
  corpId: string;
  /** FromUserName: a member's userid, or "sys" for system events. */
  from: string;
  /** Seconds since the epoch. */
  createTime: number;
  agentId?: string;
}

export interface TextMessage extends Common {
  type: "text";
  msgId: string;
  content: string;
}

export interface EnterAgentEvent extends Common {
  type: "enter_agent";
  eventKey: string;
}

interface ExternalContactCommon extends Common {
  type: "change_external_contact";
  userId: string;
  externalUserId: string;
}

export type ExternalContactEvent =
  | (ExternalContactCommon & { changeType: "add_external_contact"; state?: string; welcomeCode?: string })
  | (ExternalContactCommon & { changeType: "add_half_external_contact"; state?: string; welcomeCode?: string })
  | (ExternalContactCommon & { changeType: "edit_external_contact" })
  /** source "DELETE_BY_TRANSFER": removed by an on-job transfer, not by the member. */
  | (ExternalContactCommon & { changeType: "del_external_contact"; source?: string })
  | (ExternalContactCommon & { changeType: "del_follow_user" })
  | (ExternalContactCommon & { changeType: "transfer_fail"; failReason: string })
  | (ExternalContactCommon & { changeType: "msg_audit_approved"; welcomeCode?: string });

export interface ExternalChatEvent extends Common {
  type: "change_external_chat";
  changeType: "create" | "update" | "dismiss";
  chatId: string;
  updateDetail?: string;
  /** 0 invited by a member, 3 scanned the group QR code. */
  joinScene?: string;
  /** 0 left, 1 removed. */
  quitScene?: string;
  memChangeCnt?: string;
  memChangeList: string[];
  lastMemVer?: string;
  curMemVer?: string;
}

export interface ContactUserFields {
  userId: string;
  newUserId?: string;
  name?: string;
  department: string[];
  mainDepartment?: string;
  position?: string;
  mobile?: string;
  email?: string;
  /** 1 active, 2 disabled, 4 not activated, 5 quit. */
  status?: string;
  alias?: string;
}

export interface ContactPartyFields {
  partyId: string;
  name?: string;
  parentId?: string;
  order?: string;
}

export type ContactEvent =
  | (Common & { type: "change_contact"; changeType: "create_user" } & ContactUserFields)
  | (Common & { type: "change_contact"; changeType: "update_user" } & ContactUserFields)
  | (Common & { type: "change_contact"; changeType: "delete_user"; userId: string })
  | (Common & { type: "change_contact"; changeType: "create_party" } & ContactPartyFields)
  | (Common & { type: "change_contact"; changeType: "update_party" } & ContactPartyFields)
  | (Common & { type: "change_contact"; changeType: "delete_party"; partyId: string });

export interface MsgAuditNotifyEvent extends Common {
  type: "msgaudit_notify";
}

export interface SelectedItem {
  questionKey: string;
  optionIds: string[];
}

export interface TemplateCardEvent extends Common {
  type: "template_card_event";
  eventKey: string;
  taskId: string;
  cardType?: string;
  /** Single use; lets us update the card the member clicked. */
  responseCode?: string;
  selectedItems: SelectedItem[];
}

/** Anything we do not model yet: kept whole so a later handler can still use it. */
export interface UnknownEvent extends Common {
  type: "unknown";
  msgType: string;
  event?: string;
  changeType?: string;
  fields: Record<string, unknown>;
}

export type WeComEvent =
  | TextMessage
  | EnterAgentEvent
  | ExternalContactEvent
  | ExternalChatEvent
  | ContactEvent
  | MsgAuditNotifyEvent
  | TemplateCardEvent
  | UnknownEvent;
