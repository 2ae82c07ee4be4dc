import { html, type Html } from "./html";
import { layout } from "./layout";

/** Sandbox mode stands in for WeCom's silent authorize: pick the member who "opened the app". */
export function sandboxLoginPage(state: string, canIssueCodes: boolean): Html {
  return layout(
    "沙箱登录",
    undefined,
    undefined,
    html`<div class="card">
  <p>当前连接的是企业微信<strong>沙箱</strong>（开发环境），真实企业微信中会自动完成身份确认。</p>
  ${canIssueCodes
    ? html`<form method="post" action="/console/sandbox-login" class="inline">
    <input type="hidden" name="state" value="${state}">
    <div><label for="userid">成员账号（userid）</label><input id="userid" name="userid" required autocomplete="username"></div>
    <button type="submit">以该成员登录</button>
  </form>`
    : html`<p class="muted">沙箱运行在另一进程：请由沙箱为成员签发登录码后访问 /console/oauth/callback?code=…&amp;state=${state}</p>`}
</div>`,
  );
}

export function errorPage(status: number, message: string): Html {
  const title = status === 403 ? "没有权限" : status === 404 ? "页面不存在" : status === 401 ? "请先登录" : "出错了";
  return layout(title, undefined, undefined, html`<div class="card"><p>${message}</p><p><a href="/console">返回概览</a></p></div>`);
}
