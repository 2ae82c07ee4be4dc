/**
 * WeCom's errcodes that the product branches on, in one place: what each code means is WeCom's, what a
 * capability does about it (retry, ask HR, refuse a login) is that capability's rule. Callers compare
 * `WeComApiError.errcode` (or a per-item errcode) with these names, never with bare numbers.
 *
 * Sources: Tencent's global error-code page (developer.work.weixin.qq.com/document/path/90313), as
 * generated into xen0n/go-workwx errcodes/mod.go, and Wechat-Group/WxJava weixin-java-cp
 * WxCpErrorMsgEnum.java; per-endpoint pages named beside each group.
 */
export const WECOM_ERRCODE = {
  OK: 0,
  /** -1 系统繁忙. */
  BUSY: -1,
  /** 40029 不合法的oauth_code / js_code (code2session, auth/getuserinfo: a wrong or expired login code). */
  INVALID_CODE: 40029,
  /** 40163 oauth_code已使用 (a login code may be exchanged once). */
  CODE_USED: 40163,
  /** 45009 接口调用超过限制. */
  RATE_LIMITED: 45009,
  /** 45033 接口并发调用超过限制. */
  CONCURRENCY_LIMITED: 45033,
  /** 60111 UserID不存在 (a deleted member: how a leaver looks once HR removed them). */
  USER_NOT_FOUND: 60111,
  /** 60021 userid不在应用可见范围内. */
  NOT_VISIBLE: 60021,
  /** 41054 该用户尚未激活. */
  NOT_ACTIVATED: 41054,
  /** 84061 不存在外部联系人的关系. */
  NO_RELATION: 84061,

  // Customer transfers: transfer_customer (在职继承, path/92125), resigned/transfer_customer (离职继承, path/94081).
  /** 40096 不合法的外部联系人userid. */
  INVALID_EXTERNAL_USERID: 40096,
  /** 40097 该成员尚未离职 (the resigned endpoint sees the handover member as still employed). */
  HANDOVER_NOT_LEFT: 40097,
  /** 40098 成员尚未实名认证 (the takeover member). */
  TAKEOVER_NOT_VERIFIED: 40098,
  /** 40099 外部联系人的数量已达上限 (the takeover member's customers). */
  TAKEOVER_FULL: 40099,
  /** 40100 此用户的外部联系人已经在转移流程中. */
  ALREADY_MOVING: 40100,
  /** 40128 客户转接过于频繁（90个自然日内，在职成员的每位客户仅可被转接2次）. */
  TOO_FREQUENT: 40128,
  /** 40129 当前客户正在转接中. */
  ALREADY_TRANSFERRING: 40129,
  /** 40130 原跟进人与接手人一样，不可继承. */
  SAME_HANDOVER_TAKEOVER: 40130,
  /** 40131 handover_userid 并不是外部联系人的跟进人. */
  NOT_FOLLOWER: 40131,
  /** 40143 转接成员被封禁，无法进行客户继承操作. */
  MEMBER_BANNED: 40143,

  // Group chats: groupchat/transfer (离职, path/92127), groupchat/onjob_transfer (在职, path/95703).
  /** 90500 群主并未离职. */
  GROUP_OWNER_NOT_RESIGNED: 90500,
  /** 90501 该群不是客户群. */
  NOT_CUSTOMER_GROUP: 90501,
  /** 90502 群主已经离职. */
  GROUP_OWNER_RESIGNED: 90502,
  /** 90503 满人 & 99个微信成员，没办法踢，要客户端确认 (the group is full: not a daily cap). */
  GROUP_FULL: 90503,
  /** 90504 群主没变. */
  GROUP_OWNER_UNCHANGED: 90504,
  /** 90507 离职群正在继承处理中. */
  GROUP_INHERITING: 90507,
  /** 90508 离职群已经继承. */
  GROUP_ALREADY_INHERITED: 90508,
} as const;

/**
 * transfer_result `status` (path/94088 在职, path/94082 离职): 1 接替完毕 2 等待接替 3 客户拒绝
 * 4 接替成员客户达到上限 5 无接替记录.
 */
export const TRANSFER_RESULT_STATUS = { DONE: 1, WAITING: 2, REFUSED: 3, OVER_LIMIT: 4, NO_RECORD: 5 } as const;
