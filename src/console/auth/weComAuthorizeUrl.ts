/**
 * The WeCom web OAuth entry (snsapi_base: silent inside WeCom, yields only
 * the userid). WeCom requires the `#wechat_redirect` fragment.
 */
export function weComAuthorizeUrl(corpId: string, redirectUri: string, state: string, agentId?: number): string {
  const query = new URLSearchParams({ appid: corpId, redirect_uri: redirectUri, response_type: "code", scope: "snsapi_base", state });
  if (agentId !== undefined) query.set("agentid", String(agentId));
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
}

/** Only our own console paths may be a post-login destination (no open redirect). */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !/^\/console(\/|$|\?)/.test(next) || next.includes("//") || next.includes("\\")) return "/console";
  return next;
}
