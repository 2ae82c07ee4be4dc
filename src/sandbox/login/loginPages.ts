import type Koa from "koa";
import type { SandboxCore } from "../core";
import { checkAuthorize, checkWebLogin, loginRedirect, type LoginFlow, type LoginRequest } from "./loginRequest";

const PAGES: Record<string, LoginFlow> = {
  "/wwlogin/sso/login": "web",
  "/connect/oauth2/authorize": "oauth",
};
const CONFIRM = "/wwlogin/sso/sandbox-confirm";
const MAX_FORM_BYTES = 8 * 1024;

export const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:"Noto Sans CJK SC",sans-serif;margin:0;background:#f2f3f5;color:#1f2329}main{max-width:420px;margin:48px auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 1px 4px rgba(0,0,0,.08)}h1{font-size:20px;margin:0 0 4px}p{line-height:1.6;color:#4e5969}.tag{display:inline-block;font-size:12px;color:#b45309;background:#fef3c7;border-radius:4px;padding:1px 6px}label{display:block;margin:16px 0 6px}input{width:100%;box-sizing:border-box;padding:8px;font-size:16px;border:1px solid #c9cdd4;border-radius:4px}.actions{display:flex;gap:12px;margin-top:16px}button{flex:1;padding:10px;font-size:16px;border-radius:4px;border:1px solid #c9cdd4;background:#fff}button.primary{background:#0f7ae5;border-color:#0f7ae5;color:#fff}</style></head><body><main>${body}</main></body></html>`;
}

function refusal(reason: string): string {
  // WeCom shows "该链接无法访问" when a parameter is wrong or the redirect_uri is not trusted (path/91019).
  return page("该链接无法访问", `<h1>该链接无法访问</h1><p>${escape(reason)}</p><p class="tag">企业微信沙箱</p>`);
}

function confirmPage(flow: LoginFlow, search: string, problem?: string): string {
  const what =
    flow === "web"
      ? "<h1>沙箱登录 · 企业微信扫码登录</h1><p>真实企业微信在此显示登录二维码：成员用企业微信扫码并确认，或在已登录的企业微信桌面端确认。沙箱中请填写确认登录的成员。</p>"
      : "<h1>沙箱登录 · 企业微信内授权</h1><p>在企业微信客户端中这一步静默完成（snsapi_base），不需要成员操作。沙箱中请填写打开应用的成员。</p>";
  return page(
    "企业微信登录（沙箱）",
    `<span class="tag">企业微信沙箱</span>${what}${problem ? `<p role="alert">${escape(problem)}</p>` : ""}
<form method="post" action="${CONFIRM}${escape(search)}">
<input type="hidden" name="flow" value="${flow}">
<label for="userid">成员账号</label><input id="userid" name="userid" autocomplete="username">
<div class="actions"><button class="primary" type="submit" name="decision" value="allow">确认登录</button><button type="submit" name="decision" value="deny">拒绝</button></div>
</form>`,
  );
}

export async function readForm(req: Koa.Request["req"]): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * WeCom's two browser-facing login pages, as a browser meets them: the desktop Web login
 * (`/wwlogin/sso/login`, path/98152) and the in-client OAuth (`/connect/oauth2/authorize`, path/91022). Each
 * checks its parameters as WeCom documents them and refuses what WeCom refuses; where WeCom would show a QR code
 * (or attach the client's identity silently), the sandbox asks which member it is. The member must be in the corp
 * and active — WeCom's "无权限" for anyone outside the app's reach (path/91019). The code it issues is the one
 * `auth/getuserinfo` accepts once within 5 minutes.
 */
export function loginPages(core: SandboxCore, trustedHosts: () => string[]): Koa.Middleware {
  const check = (flow: LoginFlow, query: Record<string, string>): LoginRequest =>
    (flow === "web" ? checkWebLogin : checkAuthorize)(query, core.corp, trustedHosts());

  return async (ctx, next) => {
    const flow = ctx.method === "GET" ? PAGES[ctx.path] : undefined;
    const confirming = ctx.method === "POST" && ctx.path === CONFIRM;
    if (!flow && !confirming) return next();
    const query = Object.fromEntries(Object.entries(ctx.query).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? "") : (v ?? "")]));
    ctx.type = "html";
    if (flow) {
      const request = check(flow, query);
      ctx.body = request.ok ? confirmPage(flow, ctx.search) : refusal(request.reason);
      return;
    }
    const form = await readForm(ctx.req);
    const formFlow: LoginFlow = form.get("flow") === "oauth" ? "oauth" : "web";
    const request = check(formFlow, query);
    if (!request.ok) {
      ctx.body = refusal(request.reason);
      return;
    }
    if (form.get("decision") === "deny") {
      ctx.redirect(loginRedirect(request, undefined));
      return;
    }
    const userid = (form.get("userid") ?? "").trim();
    const member = core.state.users.get(userid);
    if (!member || member.leftAt !== undefined || member.status !== 1) {
      ctx.body = confirmPage(formFlow, ctx.search, "该成员不在本企业或账号未启用，无权限登录该应用");
      return;
    }
    ctx.redirect(loginRedirect(request, core.codes.oauth.issue(userid)));
  };
}
