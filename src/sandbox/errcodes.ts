/** Error codes the reference (wecom-api.md) documents; the sandbox answers with exactly these. */
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
  /** Global list: 不存在外部联系人的关系 (externalcontact/list for a member without customers). */
  noExternalContactRelation: 84061,
  /** Global list: invalid webhook url (unknown robot key). */
  invalidWebhookKey: 93000,
  /** Sandbox choice: resigned transfer while the handover member is still employed. */
  handoverNotResigned: 40097,
  /** Sandbox choice: on-job transfer whose handover member already left (use the resigned API). */
  handoverResigned: 40098,
  /** Sandbox choice: takeover member is disabled, not activated or has left. */
  takeoverInactive: 40099,
  /** Sandbox choice: response_code unknown, already used or expired. */
  invalidResponseCode: 40201,
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
  /** Global list: 满人 & 达到上限 (300 groups per day per new owner). */
  groupTransferLimit: 90503,
  /** Global list: 群主没变. */
  groupOwnerUnchanged: 90504,
  /** Sandbox choice (SDK range): chat-archive secret wrong. */
  sdkInvalidSecret: 10003,
  /** Sandbox choice (SDK range): unknown sdkfileid or index buffer. */
  sdkInvalidFileId: 10005,
} as const;

export const ERR = { ...WECOM_ERRCODES, ...SANDBOX_CHOSEN_ERRCODES } as const;
