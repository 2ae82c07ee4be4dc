/** Which secret a token was issued for; each grants only its own APIs. */
export type SecretKind = "agent" | "contact" | "customer" | "archive";

export interface SandboxCorp {
  corpId: string;
  token: string;
  encodingAesKey: string;
  agentId: number;
  agentSecret: string;
  contactSecret: string;
  customerSecret: string;
  archiveSecret: string;
}

export interface Department {
  id: number;
  name: string;
  nameEn: string;
  parentId: number;
  order: number;
  leaders: string[];
}

/** WeCom member status: 1 active, 2 disabled, 4 not activated, 5 quit. */
export type UserStatus = 1 | 2 | 4 | 5;

export interface User {
  userid: string;
  name: string;
  departments: number[];
  mainDepartment: number;
  position: string;
  status: UserStatus;
  /**
   * When HR deleted the member in the admin console. A deleted member vanishes from every list and
   * user/get answers 60111 (developer.work.weixin.qq.com/document/path/90313 60111 "UserID不存在";
   * go-workwx errcodes/mod.go ErrCode60111), yet WeCom keeps their customers for resigned transfer
   * (path/94081 get_unassigned_list) — so the sandbox keeps the record for its transfer rules.
   */
  leftAt?: Date;
  /** 实名认证: transfers to an unverified takeover member answer 40098. Default true. */
  realNameVerified?: boolean;
  /** In the 客户联系 range (externalcontact/get_follow_user_list). Default true. */
  customerContact?: boolean;
}

export interface ExternalContact {
  externalUserId: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  gender: 0 | 1 | 2;
  unionid: string;
  avatar: string;
}

export interface FollowTag {
  groupName: string;
  tagName: string;
  type: 1 | 2;
  tagId: string;
}

/** A member "following" a customer: WeCom's name for the contact relation. */
export interface Follow {
  userid: string;
  externalUserId: string;
  remark: string;
  description: string;
  createdAt: Date;
  tags: FollowTag[];
  addWay: number;
  operUserid: string;
  state: string;
}

export interface GroupMember {
  userid: string;
  /** 1 member of the corp, 2 external contact. */
  type: 1 | 2;
  joinTime: Date;
  joinScene: number;
  /** The member who invited them, when one did (groupchat/get member_list[].invitor; wechatpy fixture externalcontact_groupchat_get.json). */
  invitor?: string;
}

export interface GroupChat {
  chatId: string;
  name: string;
  owner: string;
  createdAt: Date;
  notice: string;
  members: GroupMember[];
  admins: string[];
  memberVersion: number;
  dismissed: boolean;
}

export interface SentAppMessage {
  msgid: string;
  at: Date;
  msgtype: string;
  body: Record<string, unknown>;
  /** Members the message reached; over-limit recipients are silently dropped, as WeCom does. */
  deliveredTo: string[];
  droppedFor: string[];
  invalidUsers: string[];
  taskId?: string;
  /** Set when WeCom's duplicate check swallowed this send: the msgid of the earlier identical one. */
  duplicateOf?: string;
}

export interface WebhookMessage {
  key: string;
  at: Date;
  msgtype: string;
  body: Record<string, unknown>;
}

export interface TemplateCardUpdate {
  at: Date;
  responseCode: string;
  taskId: string;
  body: Record<string, unknown>;
}

export interface InterceptRule {
  ruleId: string;
  ruleName: string;
  wordList: string[];
  semanticsList: number[];
  interceptType: 1 | 2;
  userList: string[];
  departmentList: number[];
  createdAt: Date;
}

export interface MsgTemplate {
  msgid: string;
  chatType: "single" | "group";
  sender: string;
  /** get_groupmsg_list_v2 create_type: 0 company (add_msg_template), 1 the member on the phone (path/93338). */
  createType?: 0 | 1;
  targets: string[];
  text?: string;
  attachments: unknown[];
  createdAt: Date;
  confirmedAt?: Date;
  /** Filled at confirmation: targets that received it, and those that had already had one today. */
  deliveredTo: string[];
  skippedDailyLimit: string[];
}

export type ArchiveAgreeStatus = "Agree" | "Disagree";

export interface ArchiveConsent {
  userid: string;
  externalUserId: string;
  status: ArchiveAgreeStatus;
  changedAt: Date;
}

export interface GroupChatTransfer {
  chatId: string;
  kind: "resigned" | "onjob";
  from: string;
  to: string;
  at: Date;
}

/** Transfer status as transfer_result reports it: 1 done, 2 waiting, 3 refused, 4 takeover at its customer limit. */
export type TransferStatus = 1 | 2 | 3 | 4;

export interface CustomerTransfer {
  kind: "onjob" | "resigned";
  handover: string;
  takeover: string;
  externalUserId: string;
  status: TransferStatus;
  requestedAt: Date;
  /** For a waiting transfer: when the takeover is due; afterwards: when it happened. */
  takeoverTime: Date;
  successMessage?: string;
}
