import type { ConsoleSession } from "../auth/consoleSession";
import { html, type Fragment, type Html } from "./html";

const NAV = [
  { href: "/console", label: "概览", key: "dashboard" },
  { href: "/console/cases", label: "离职案件", key: "cases" },
  { href: "/console/alerts", label: "风险预警", key: "alerts" },
  { href: "/console/retention", label: "家长留存", key: "retention" },
  { href: "/console/archive", label: "会话存档", key: "archive" },
  { href: "/console/qualifications", label: "教师资质", key: "qualifications" },
  { href: "/console/alumni", label: "离职人才库", key: "alumni" },
  { href: "/console/work-rules", label: "入职规则", key: "workRules" },
  { href: "/console/settings", label: "设置", key: "settings" },
  { href: "/console/inherited", label: "我的交接", key: "inherited" },
] as const;

/** A person with no role (a teacher who inherits parents) has their own page, the archive of what was handed to them, and their own certificates. */
const PERSONAL_NAV: readonly NavKey[] = ["inherited", "archive", "qualifications"];

export type NavKey = (typeof NAV)[number]["key"];

/** Whether the person holds a role beyond being an employee: HR's pages are theirs; everyone else has "我的交接". */
export function holdsConsoleRole(session: ConsoleSession): boolean {
  return session.actor.grants.some((g) => g.role !== "employee");
}

/**
 * Readable at phone width inside WeCom, 4.5:1 contrast, visible focus, no external assets.
 * A table with class "stack" turns each row into a card below 40rem: every cell on its own line behind its
 * column's name (the cell's data-label), so four or five columns never squeeze into 390 px.
 */
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f8fa}
a{color:#0550ae}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #0969da;outline-offset:2px}
header{background:#0b3d2e;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a{color:#fff}header nav{display:flex;gap:1rem;flex-wrap:wrap}header nav a[aria-current]{font-weight:700;text-decoration:underline}
header .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin-bottom:1rem;overflow-x:auto}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #d0d7de;vertical-align:top}
button,.button{font:inherit;padding:.4rem .9rem;border-radius:6px;border:1px solid #1f6f4a;background:#1f6f4a;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#1f6f4a}button.danger,.button.danger{background:#b42318;border-color:#b42318;color:#fff}
.filepick:focus-within{outline:3px solid #0969da;outline-offset:2px}summary.button{list-style:none}summary.button::-webkit-details-marker{display:none}
input,select,textarea{font:inherit;padding:.3rem;border:1px solid #6e7781;border-radius:4px;max-width:100%}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}label{display:block;font-size:.9rem}
.ok{color:#1a7f37;font-weight:700}.bad{color:#b42318;font-weight:700}.muted{color:#57606a}
.notice{padding:.75rem;border-radius:6px;margin-bottom:1rem}.notice.ok{background:#dafbe1}.notice.bad{background:#ffebe9}.notice.todo{background:#fff8c5;border:1px solid #d4a72c}.notice h2{margin-top:0}
.stat{font-size:2rem;font-weight:700}
a.tag{display:inline-block;padding:0 .45rem;margin:0 .25rem .25rem 0;border:1px solid #d0d7de;border-radius:999px;font-size:.85rem;text-decoration:none;color:#24292f}
fieldset.step{border:1px solid #d0d7de;border-radius:6px;margin:0 0 .75rem;padding:.5rem .75rem}fieldset.step legend{font-weight:700;padding:0 .25rem}
.inline-check{display:inline-block;margin-right:.75rem}dialog{border:1px solid #6e7781;border-radius:8px;max-width:min(28rem,92vw)}
@media (max-width:40rem){main{padding:.5rem}th,td{padding:.3rem;font-size:.9rem}
input:not([type=checkbox]):not([type=radio]):not([type=hidden]),select,textarea{width:100%}form.inline>div{flex:1 1 100%}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.stack tr{display:block;border-bottom:1px solid #d0d7de;padding:.4rem 0}
table.stack td{display:grid;grid-template-columns:5rem 1fr;gap:.5rem;border:0;padding:.15rem 0}
table.stack td::before{content:attr(data-label);color:#57606a;font-size:.85rem}}
`;

export function layout(title: string, session: ConsoleSession | undefined, active: NavKey | undefined, body: Fragment): Html {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 家长关系守护</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <strong>家长关系守护 · 人事台</strong>
  ${session
    ? html`<nav aria-label="主导航">${NAV.filter((n) => holdsConsoleRole(session) || PERSONAL_NAV.includes(n.key)).map((n) => html`<a href="${n.href}"${n.key === active ? html` aria-current="page"` : ""}>${n.label}</a>`)}</nav>
  <div class="who"><span>${session.actor.name ?? session.actor.userid}</span>
    <form method="post" action="/console/logout">${csrfField(session)}<button class="secondary" type="submit">退出登录</button></form></div>`
    : ""}
</header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export function csrfField(session: ConsoleSession): Html {
  return html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
}

/** A result the person just caused, announced to screen readers. */
export function flash(kind: "ok" | "bad", text: string): Html {
  return html`<p class="notice ${kind}" role="status">${text}</p>`;
}
