import type { SandboxCorp } from "../state/types";

/** Which of WeCom's two login pages a member is on. */
export type LoginFlow = "web" | "oauth";

export type LoginRequest = { ok: true; flow: LoginFlow; redirectUri: URL; state: string } | { ok: false; reason: string };

/** path/91022: "企业可以填写a-zA-Z0-9的参数值，长度不可超过128个字节". */
const OAUTH_STATE = /^[A-Za-z0-9]{0,128}$/;

/**
 * The redirect_uri's host — with its port — must be one of the app's trusted domains, compared exactly
 * (developer.work.weixin.qq.com/document/15232: "配置域名必须与访问域名完全一致…包括端口号", "不支持泛域名设置";
 * path/98152 "redirect_uri域名说明"). Otherwise WeCom shows "该链接无法访问" (path/91019).
 */
function trustedRedirect(raw: string | undefined, trustedHosts: string[]): URL | string {
  if (!raw) return "缺少 redirect_uri";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "redirect_uri 不是完整的网址";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "redirect_uri 必须是 http(s) 网址";
  if (!trustedHosts.includes(url.host)) return `redirect_uri 的域名 ${url.host} 不是该应用的可信域名`;
  return url;
}

/**
 * The Web login link of path/98152: `login_type` CorpApp (self-built app: appid = CorpID, agentid required) or
 * ServiceApp (a third-party suite's SuiteID — the sandbox has none, so it is refused as an unknown appid).
 * The page names no alphabet for `state`, so any state is carried back as given.
 */
export function checkWebLogin(query: Record<string, string>, corp: SandboxCorp, trustedHosts: string[]): LoginRequest {
  if (query.login_type !== "CorpApp" && query.login_type !== "ServiceApp") return { ok: false, reason: "login_type 只能是 CorpApp 或 ServiceApp" };
  if (query.login_type === "ServiceApp") return { ok: false, reason: "appid 不是已授权的第三方应用 SuiteID" };
  if (query.appid !== corp.corpId) return { ok: false, reason: "appid 不是本企业的 CorpID" };
  if (!query.agentid) return { ok: false, reason: "login_type=CorpApp 时必须填写 agentid" };
  if (query.agentid !== String(corp.agentId)) return { ok: false, reason: "agentid 不是本企业的应用" };
  const redirectUri = trustedRedirect(query.redirect_uri, trustedHosts);
  if (typeof redirectUri === "string") return { ok: false, reason: redirectUri };
  return { ok: true, flow: "web", redirectUri, state: query.state ?? "" };
}

/**
 * The in-client OAuth link of path/91022: appid = CorpID, response_type=code, scope snsapi_base (silent) or
 * snsapi_privateinfo (needs agentid), state in a-zA-Z0-9 up to 128 bytes. (`#wechat_redirect` is a fragment: a
 * browser never sends it, so no server — WeCom's included — can check it.)
 */
export function checkAuthorize(query: Record<string, string>, corp: SandboxCorp, trustedHosts: string[]): LoginRequest {
  if (query.appid !== corp.corpId) return { ok: false, reason: "appid 不是本企业的 CorpID" };
  if (query.response_type !== "code") return { ok: false, reason: "response_type 必须为 code" };
  if (query.scope !== "snsapi_base" && query.scope !== "snsapi_privateinfo") return { ok: false, reason: "scope 只能是 snsapi_base 或 snsapi_privateinfo" };
  if (query.scope === "snsapi_privateinfo" && !query.agentid) return { ok: false, reason: "scope=snsapi_privateinfo 时必须填写 agentid" };
  if (query.agentid !== undefined && query.agentid !== String(corp.agentId)) return { ok: false, reason: "agentid 不是本企业的应用" };
  if (!OAUTH_STATE.test(query.state ?? "")) return { ok: false, reason: "state 只能由 a-zA-Z0-9 组成，且不超过 128 个字节" };
  const redirectUri = trustedRedirect(query.redirect_uri, trustedHosts);
  if (typeof redirectUri === "string") return { ok: false, reason: redirectUri };
  return { ok: true, flow: "oauth", redirectUri, state: query.state ?? "" };
}

/** Back to the site: `redirect_uri?code=CODE&state=STATE`, or only the state when the member declined (path/91019). */
export function loginRedirect(request: { redirectUri: URL; state: string }, code: string | undefined): string {
  const target = new URL(request.redirectUri);
  if (code !== undefined) target.searchParams.set("code", code);
  target.searchParams.set("state", request.state);
  return target.toString();
}
