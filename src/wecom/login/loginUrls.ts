/**
 * The two ways a member signs in to a web page with their WeCom identity. Both end at our redirect_uri with
 * `?code=CODE&state=STATE`, and the code is exchanged with `auth/getuserinfo` (path/91023; for the Web login
 * path/98176 names the same endpoint).
 *
 * - Inside the WeCom client (mobile or desktop webview): OAuth `connect/oauth2/authorize`, silent with
 *   `snsapi_base` (developer.work.weixin.qq.com/document/path/91022; WxJava weixin-java-cp
 *   `WxCpApiPathConsts.URL_OAUTH2_AUTHORIZE`, wechatpy `wechatpy/work/client/api/oauth.py` OAUTH_BASE_URL).
 *   It is meant for the client's webview only; an ordinary browser has no WeCom identity to attach (path/98151
 *   lists the Web login for 系统浏览器 and OAuth for 企业微信内置 Webview).
 * - In a desktop browser: WeCom's Web login page `login.work.weixin.qq.com/wwlogin/sso/login` (path/98152
 *   "构造企业微信登录链接", which replaced the old `open.work.weixin.qq.com/wwopen/sso/qrConnect` of path/91019 —
 *   the one WxJava `BaseWxCpServiceImpl.buildQrConnectUrl` still builds): the member scans the QR code with the
 *   WeCom app, or confirms in a logged-in WeCom desktop client.
 *
 * The redirect_uri's host (with its port) must be one of the app's trusted domains (可信域名 / Web网页授权回调域名),
 * compared exactly with its port, no wildcards (path/98152 "redirect_uri域名说明"; the table in
 * developer.work.weixin.qq.com/document/15232, OAuth简介) — otherwise WeCom shows
 * "该链接无法访问" and never comes back.
 */

/** Real WeCom hosts; the sandbox serves both pages on its own origin. */
export const WECOM_OAUTH_BASE = "https://open.weixin.qq.com";
export const WECOM_WEB_LOGIN_BASE = "https://login.work.weixin.qq.com";

/** Where the login pages are, and which app asks. */
export interface WeComLoginEntry {
  corpId: string;
  agentId: number;
  oauthBase: string;
  webLoginBase: string;
}

/**
 * `state` is returned untouched and is our CSRF check. path/91022: "企业可以填写a-zA-Z0-9的参数值，长度不可超过128个字节".
 * path/98152 names no alphabet but asks for URL encoding; one alphabet that both accept keeps a single state
 * usable by either page, so the stricter rule of 91022 applies to both.
 */
export const LOGIN_STATE_PATTERN = /^[A-Za-z0-9]{1,128}$/;

/** OAuth inside the client. `#wechat_redirect` is required: the client uses it to attach the identity (path/91022). */
export function weComAuthorizeUrl(entry: WeComLoginEntry, redirectUri: string, state: string): string {
  const query = new URLSearchParams({ appid: entry.corpId, redirect_uri: redirectUri, response_type: "code", scope: "snsapi_base", state });
  // Optional with snsapi_base, but it names the app whose trusted domain applies (path/91022 "agentid ... 建议填上").
  query.set("agentid", String(entry.agentId));
  return `${entry.oauthBase}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
}

/**
 * The desktop Web login (path/98152): `login_type=CorpApp` for a self-built app, whose `appid` is the CorpID and
 * whose `agentid` is then required. No fragment. `lang=zh`: the page would otherwise follow Accept-Language.
 */
export function weComWebLoginUrl(entry: WeComLoginEntry, redirectUri: string, state: string): string {
  const query = new URLSearchParams({
    login_type: "CorpApp",
    appid: entry.corpId,
    agentid: String(entry.agentId),
    redirect_uri: redirectUri,
    state,
    lang: "zh",
  });
  return `${entry.webLoginBase}/wwlogin/sso/login?${query.toString()}`;
}
