import { html, type Html } from "./html";
import { layout } from "./layout";

/** A refusal as a page: what happened, and the one way on (the dashboard, or a new sign-in). */
export function errorPage(status: number, message: string, next: { href: string; label: string } = { href: "/console", label: "返回概览" }): Html {
  const title = status === 403 ? "没有权限" : status === 404 ? "页面不存在" : status === 401 ? "请先登录" : "出错了";
  return layout(title, undefined, undefined, html`<div class="card"><p>${message}</p><p><a href="${next.href}">${next.label}</a></p></div>`);
}
