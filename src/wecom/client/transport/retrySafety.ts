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
  // Reads sent as POST because their filters are a JSON body: they return data and change nothing
  // (each API class cites its page; user/list_id: path/96021's request/answer shape).
  "/cgi-bin/user/list_id": "read",
  "/cgi-bin/externalcontact/batch/get_by_user": "read",
  "/cgi-bin/externalcontact/get_unassigned_list": "read",
  "/cgi-bin/externalcontact/transfer_result": "read",
  "/cgi-bin/externalcontact/resigned/transfer_result": "read",
  "/cgi-bin/externalcontact/groupchat/list": "read",
  "/cgi-bin/externalcontact/groupchat/get": "read",
  "/cgi-bin/externalcontact/get_groupmsg_list_v2": "read (path/93338)",
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
 * content (request JSON) is not received twice within duplicate_check_interval, default 1800 s" (Tencent
 * path/90236 发送应用消息; quoted in WxJava issue #1915 and the wechat_sdk docs of WeChat.Work.Message), so
 * a repeat inside that window is dropped by WeCom and is safe. Everything else that creates is not:
 * add_msg_template and add_intercept_rule have no server-side dedupe (reference corrections, path/92135).
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
