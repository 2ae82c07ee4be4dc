/**
 * May a call be sent again when its first attempt got no answer (timeout, broken connection, gateway 5xx)?
 * Then WeCom may already have acted on it. A read, or a write that sets a state, can be repeated; a call
 * that creates something (a 群发 task, an intercept rule, a robot message, a transfer) cannot: a repeat
 * would create it twice. An errcode answer or a connection that never opened is different: WeCom answered
 * "not done" or never saw the request, so every call may retry those (retryPolicy.ts).
 *
 * GETs are reads. POSTs are unsafe unless listed here: a new endpoint is never retried blindly by default.
 */
const safePosts: Record<string, string> = {
  // Reads sent as POST because their filters are a JSON body: they return data and change nothing. Paths as
  // in WxJava weixin-java-cp WxCpApiPathConsts (USER_LIST_ID, LIST_UNASSIGNED_CONTACT, TRANSFER_RESULT,
  // RESIGNED_TRANSFER_RESULT, GROUP_CHAT_LIST, GROUP_CHAT_INFO, GET_GROUP_MSG_LIST_V2, GET_GROUP_MSG_TASK, GET_INTERCEPT_RULE,
  // GET_PERMIT_USER_LIST, CHECK_SINGLE_AGREE, msgaudit GET_GROUP_CHAT); their replies are data only (the
  // fixtures in test/fixtures/wecom/responses for batch/get_by_user, get_unassigned_list, groupchat list/get).
  "/cgi-bin/user/list_id": "read (path/96067 获取成员ID列表: POST {cursor, limit} → dept_user[], next_cursor)",
  "/cgi-bin/externalcontact/batch/get_by_user": "read",
  "/cgi-bin/externalcontact/get_unassigned_list": "read",
  "/cgi-bin/externalcontact/transfer_result": "read",
  "/cgi-bin/externalcontact/resigned/transfer_result": "read",
  "/cgi-bin/externalcontact/groupchat/list": "read",
  "/cgi-bin/externalcontact/groupchat/get": "read",
  "/cgi-bin/externalcontact/get_groupmsg_list_v2": "read (path/93338)",
  "/cgi-bin/externalcontact/get_groupmsg_task": "read (path/93338)",
  "/cgi-bin/externalcontact/get_intercept_rule": "read (path/95130)",
  "/cgi-bin/msgaudit/get_permit_user_list": "read",
  "/cgi-bin/msgaudit/check_single_agree": "read",
  "/cgi-bin/msgaudit/check_room_agree": "read",
  "/cgi-bin/msgaudit/groupchat/get": "read",
  // Writes that set a state: doing them twice leaves the same state.
  "/cgi-bin/user/update": "sets member fields, e.g. enable=0 (path/90197)",
  "/cgi-bin/externalcontact/update_intercept_rule": "sets the rule's words and range (path/95130)",
  "/cgi-bin/externalcontact/del_intercept_rule": "deleting twice leaves it deleted (path/95130)",
};

/**
 * message/send is the one creating call WeCom deduplicates itself: with enable_duplicate_check 1 "the same
 * content (request JSON) is not received twice within duplicate_check_interval, default 1800 s, at most 4 h"
 * (Tencent path/90236 发送应用消息, as quoted in WxJava issue #1915; the same two parameters in Senparc
 * WeiXinMPSDK issue #2302), so a repeat inside that window is dropped by WeCom and is safe. What WeCom *answers*
 * to the dropped copy is documented nowhere we could find (re-checked 2026-11-26: path/90236's table, WxJava,
 * go-workwx, wechatpy, Senparc): callers must not depend on it (the sandbox's errcode 0 + earlier msgid is an
 * assumption). Everything else that creates is not deduplicated: add_msg_template's request has no key, id or
 * duplicate-check field at all (path/92135; go-workwx external_contact.md.go AddMsgTemplateExternalContact: chat_type,
 * external_userid, sender, text, attachments) and each call answers with its own msgid (wechatpy fixture
 * externalcontact_add_msg_template.json), so a repeat is a second task; add_intercept_rule's request has no
 * idempotency key either (WxJava WxCpInterceptRuleInfo), so a repeat is a second rule.
 */
function dedupedByWeCom(path: string, body: unknown): boolean {
  if (path !== "/cgi-bin/message/send" || typeof body !== "object" || body === null) return false;
  return (body as { enable_duplicate_check?: unknown }).enable_duplicate_check === 1;
}

export function safeToRepeat(method: "GET" | "POST", path: string, body: unknown): boolean {
  if (method === "GET") return true;
  return path in safePosts || dedupedByWeCom(path, body);
}

/** For the endpoint table test: which POSTs are declared repeatable and why. */
export const repeatablePosts: Readonly<Record<string, string>> = safePosts;
