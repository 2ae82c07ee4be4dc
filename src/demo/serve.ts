import { CAST, CORP_SEED } from "./cast";
import type { StoryEnv } from "./env";

/** Who to sign in as after the story, and what each of them finds. */
const PEOPLE: ReadonlyArray<{ userid: string; role: string; sees: string }> = [
  { userid: CAST.hr, role: "人事（朝阳校区）· HR", sees: "概览、李静的离职案件（审批、转接进度、证明）、风险预警、设置 · dashboard, 李静's case, alerts, settings" },
  { userid: CAST.departmentHead, role: "校长（朝阳校区负责人）· campus head", sees: "本校区的概览与案件（只读，无人事按钮）· his campus's dashboard and cases, read-only" },
  { userid: CAST.successors[0], role: "接替老师 · successor", sees: "我的交接：接替的家长、与他们的历史沟通记录 · her inherited parents and their history" },
  { userid: CAST.successors[1], role: "接替老师（有一位家长拒绝）· successor with a refusal", sees: "待办：重新邀请拒绝转接的家长 · a follow-up task" },
  { userid: "hr_wu", role: "人事（海淀校区）· HR of the other campus", sees: "看不到朝阳校区的案件 · none of 朝阳's cases" },
];

/** Whom WeChat DevTools' login codes sign in as by default: 王芳, a successor who is still employed (the leaver's account is gone). */
export const DEVTOOLS_DEFAULT = CAST.successors[0];

const nameOf = (userid: string) => CORP_SEED.users?.find((u) => u.userid === userid)?.name ?? userid;

/**
 * Before people browse: the campus head gets his campus's read-only console role. In the story he acts only
 * as an approver (from his cards), so without it his console would open on the successor's page.
 */
export async function prepareForBrowsing(env: StoryEnv): Promise<void> {
  const res = await fetch(`${env.base}/api/admin/roles`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.opsToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userid: CAST.departmentHead, role: "campus_head", departmentId: CAST.campus }),
  });
  if (res.status !== 201) throw new Error(`demo --serve: granting the campus head's role answered ${res.status}: ${await res.text()}`);
}

/** What `npm run demo -- --serve` prints once the story has played: where the console is and how each person signs in. */
export function serveInstructions(env: StoryEnv): string[] {
  const console = `${env.base}/console`;
  return [
    "演示环境保持运行（Ctrl-C 停止）· the demo world stays up (Ctrl-C to stop)",
    "",
    `人事台 · console: ${console}`,
    "  打开后会跳到“企业微信登录（沙箱）”页：在“成员账号”中填写下表的账号，点“确认登录”。",
    "  It redirects to the sandbox's WeCom login page: type an account below as 成员账号 and press 确认登录",
    "  (real WeCom shows a QR code there instead).",
    "",
    ...PEOPLE.map((p) => `  ${nameOf(p.userid)} · ${p.role}: 账号 account ${p.userid}\n      ${p.sees}`),
    "",
    `  ${CAST.leaverName} · 离职员工 · the leaver: IT removed her WeCom account on her last day, so — as in real WeCom — she`,
    "      can no longer sign in; her part (bot, mini-program, signing) is in the transcript above.",
    "",
    `小程序 · mini-program: API ${env.base} (miniprogram/config.ts develop = http://127.0.0.1:3000; other PORT: edit it)`,
    ...devToolsLines(env),
    `WeCom 沙箱 · sandbox: ${env.sandbox.url}`,
    "时钟停在故事结束时；定时任务在演示中不运行 · the clock stays at the story's end; scheduled jobs do not run in the demo.",
  ];
}

function devToolsLines(env: StoryEnv): string[] {
  const who = env.sandbox.devTools?.signsInAs;
  const page = `${env.sandbox.url}/sandbox/devtools-login`;
  return [
    who
      ? `  微信开发者工具（企业微信模式）的登录以 ${who.name}（账号 ${who.userid}）进入 · WeChat DevTools' wx.qy.login signs in as ${who.name}`
      : "  微信开发者工具的登录码将被拒绝：SANDBOX_DEVTOOLS_USER 不是在职成员 · DevTools logins are refused: SANDBOX_DEVTOOLS_USER names no active member",
    `  换人 · choose another person: ${page}（或启动前设置 SANDBOX_DEVTOOLS_USER · or set SANDBOX_DEVTOOLS_USER before starting）`,
  ];
}

/** Resolves on Ctrl-C or SIGTERM. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
