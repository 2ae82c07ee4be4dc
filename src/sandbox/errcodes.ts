/** Error codes with WeCom's documented meaning (Tencent path/90313 via xen0n/go-workwx errcodes/mod.go); the sandbox answers with exactly these. */
export const WECOM_ERRCODES = {
  ok: 0,
  busy: -1,
  invalidSecret: 40001,
  invalidCorpId: 40013,
  invalidToken: 40014,
  invalidCode: 40029,
  invalidExternalUserId: 40096,
  tooFrequent: 40128,
  alreadyTransferring: 40129,
  sameHandoverAndTakeover: 40130,
  /** go-workwx errcodes/mod.go ErrCode40097 该成员尚未离职 (resigned transfer, handover still employed). */
  handoverNotResigned: 40097,
  /** ErrCode40098 成员尚未实名认证 (takeover member). */
  takeoverNotVerified: 40098,
  /** ErrCode40099 外部联系人的数量已达上限 (takeover member at their customer cap). */
  takeoverFull: 40099,
  /** ErrCode40100 此用户的外部联系人已经在转移流程中. */
  alreadyMoving: 40100,
  /** ErrCode40131 handover_userid 并不是外部联系人的跟进人. */
  notFollower: 40131,
  /** ErrCode41070 无效的聊天敏感词规则id (path/90313; go-workwx errcodes/mod.go). */
  invalidInterceptRuleId: 41070,
  /** ErrCode41071 聊天敏感词规则已经被删除 (path/90313; go-workwx errcodes/mod.go). */
  interceptRuleDeleted: 41071,
  /** ErrCode41077 聊天敏感词规则名称不唯一 (path/90313; go-workwx errcodes/mod.go @3887053): a rule name is unique in the company. */
  interceptRuleNameTaken: 41077,
  /** ErrCode41054 该用户尚未激活 (also used for a disabled takeover member). */
  userNotActivated: 41054,
  /** ErrCode84061 不存在外部联系人的关系 (the customer deleted the member). */
  noRelation: 84061,
  /** ErrCode90503 满人 & 99个微信成员，没办法踢，要客户端确认. */
  groupFull: 90503,
  /** ErrCode90507 离职群正在继承处理中. */
  groupInheriting: 90507,
  /** ErrCode90508 离职群已经继承. */
  groupAlreadyInherited: 90508,
  tokenMissing: 41001,
  tokenExpired: 42001,
  rateLimited: 45009,
  noPermission: 48002,
  allRecipientsInvalid: 81013,
  sdkParameter: 10000,
  sdkNoPrivateKey: 10007,
} as const;

/**
 * NOT DOCUMENTED BY WECOM (in our reference): codes for rules the reference states without an errcode.
 * Where WeCom's public global error-code list has a matching code we reuse its number; the rest are
 * the sandbox's own choice. Clients must treat every one of these as "refused", never rely on the value.
 */
export const SANDBOX_CHOSEN_ERRCODES = {
  /** Global list: 不合法的参数. Used for every malformed or out-of-range field. */
  invalidParameter: 40058,
  /** Global list: 消息类型不合法. */
  invalidMessageType: 40008,
  /** Global list: 不合法的agentid. */
  invalidAgentId: 40056,
  /** Global list: 消息内容超过限制 (text, markdown, textcard, mass-message sizes). */
  contentTooLong: 45002,
  /** Global list: 解析JSON/XML内容错误. */
  invalidJson: 47001,
  /** Global list: UserID不存在. */
  userNotFound: 60111,
  /** Global list: 无效的部门id. */
  departmentNotFound: 60123,
  /** Global list: invalid webhook url (unknown robot key). */
  invalidWebhookKey: 93000,
  /**
   * Global list (path/90313): 60140 无效的response_code, "可能是response_code已经过期" — as crawled in
   * xen0n/go-workwx errcodes/mod.go (2024-04-08). Tencent names no separate errcode for a code used once
   * already; the sandbox answers the same 60140 for it (our assumption).
   */
  invalidResponseCode: 60140,
  /** Sandbox choice: template_card task_id already used by this app. */
  duplicateTaskId: 40202,
  /** Sandbox choice: miniprogram_notice appid not associated with the sending app. */
  miniProgramNotAssociated: 40203,
  /** Sandbox choice: the company already has 100 intercept rules. */
  interceptRuleLimit: 40204,
  /** Sandbox choice: mass-message sender is not an active member. */
  invalidSender: 40205,
  /** Global list (group transfer range): 群主并未离职. */
  groupOwnerNotResigned: 90500,
  /** Global list: 该群不是客户群 (also used for an unknown chat_id). */
  notCustomerGroup: 90501,
  /** Global list: 群主已经离职 (on-job group transfer of a leaver's group). */
  groupOwnerResigned: 90502,
  /** Global list: 群主没变. */
  groupOwnerUnchanged: 90504,
  /** Sandbox choice (SDK range): chat-archive secret wrong. */
  sdkInvalidSecret: 10003,
  /** Sandbox choice (SDK range): unknown sdkfileid or index buffer. */
  sdkInvalidFileId: 10005,
} as const;

export const ERR = { ...WECOM_ERRCODES, ...SANDBOX_CHOSEN_ERRCODES } as const;
