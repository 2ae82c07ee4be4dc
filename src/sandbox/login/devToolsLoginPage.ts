import type Koa from "koa";
import type { SandboxState } from "../state/sandboxState";
import type { DevToolsLogin } from "./devToolsLogin";
import { escape, page, readForm } from "./loginPages";

export const DEVTOOLS_LOGIN_PATH = "/sandbox/devtools-login";

const LIST_STYLE =
  "<style>ul{list-style:none;padding:0;margin:16px 0 0}li{margin:0 0 8px}li button{width:100%;text-align:left;padding:10px 12px;font-size:16px;border:1px solid #c9cdd4;border-radius:4px;background:#fff}li button[aria-pressed=true]{border-color:#0f7ae5;background:#e8f3ff}small{color:#86909c}</style>";

function chooserPage(state: SandboxState, devTools: DevToolsLogin, notice?: { ok: boolean; text: string }): string {
  const current = devTools.signsInAs;
  const members = [...state.users.values()].filter((u) => u.leftAt === undefined && u.status === 1).sort((a, b) => a.userid.localeCompare(b.userid));
  const rows = members
    .map(
      (u) =>
        `<li><button type="submit" name="userid" value="${escape(u.userid)}" aria-pressed="${u.userid === current?.userid}">${escape(u.name)}${u.position ? ` · ${escape(u.position)}` : ""} <small>账号 ${escape(u.userid)}</small></button></li>`,
    )
    .join("");
  const now = current
    ? `<p>现在：开发者工具的登录码以 <strong>${escape(current.name)}</strong>（账号 ${escape(current.userid)}）登录。</p>`
    : "<p role=\"alert\">现在：还没有选择成员，开发者工具的登录码会被拒绝（40029 invalid code）。</p>";
  return page(
    "开发者工具登录（沙箱）",
    `${LIST_STYLE}<span class="tag">企业微信沙箱 · 仅本地开发</span><h1>开发者工具以谁登录</h1>
<p>微信开发者工具（企业微信模式）的 wx.qy.login 登录码不是沙箱签发的，沙箱无法知道是谁。请在这里选择它代表的成员；每个登录码仍只能用一次。真实企业微信与生产环境从不接受这种登录码。</p>
${notice ? `<p role="${notice.ok ? "status" : "alert"}">${escape(notice.text)}</p>` : ""}${now}
<form method="post" action="${DEVTOOLS_LOGIN_PATH}"><ul>${rows}</ul></form>`,
  );
}

/**
 * The sandbox's page for choosing who WeChat DevTools' login codes sign in as (see DevToolsLogin). A sandbox page
 * with no WeCom counterpart, so it lives under /sandbox/. It changes only this sandbox's development login.
 */
export function devToolsLoginPage(state: SandboxState, devTools: DevToolsLogin): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== DEVTOOLS_LOGIN_PATH || (ctx.method !== "GET" && ctx.method !== "POST")) return next();
    ctx.type = "html";
    if (ctx.method === "GET") {
      ctx.body = chooserPage(state, devTools);
      return;
    }
    const userid = ((await readForm(ctx.req)).get("userid") ?? "").trim();
    const problem = devTools.choose(userid);
    if (problem) ctx.status = 400;
    ctx.body = chooserPage(state, devTools, problem ? { ok: false, text: `未更改：${problem}` } : { ok: true, text: "已更改，下次进入小程序时生效。" });
  };
}
