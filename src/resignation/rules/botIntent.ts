/**
 * What a member means when they message the app about leaving. A false
 * positive costs a confused employee and an HR alert about a resignation that
 * was never meant, so only first-person statements count as explicit intent;
 * venting ("不想干了") is recognised but marked implicit, and the bot must ask
 * before starting anything. Nothing here creates a notice: the employee still
 * fills and signs the form.
 *
 * Checked in order, first match wins:
 *  1. certificate questions ("离职证明怎么开") — about a document, not leaving;
 *  2. status queries ("进度", "离职进度");
 *  3. withdrawal ("撤回离职", "我不想离职了");
 *  4. explicit first-person resignation ("我要辞职", "申请离职", bare "离职");
 *  5. how-to questions ("离职流程是什么") — implicit;
 *  6. venting ("不想干了") — implicit;
 * anything else, including talk about other people ("他离职了吗"), is none.
 */

export type BotIntent =
  | { intent: "start_resignation"; confidence: "explicit" | "implicit" }
  | { intent: "resignation_status" }
  | { intent: "withdraw_resignation" }
  | { intent: "certificate_question" }
  | { intent: "none" };

const LEAVE = "(?:离职|辞职)";
const POLITE = "(?:老师|领导|hr|人事|您好|你好|在吗|麻烦|请问)*";

function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, "");
}

const CERTIFICATE = /离职证明/;

const STATUS = [
  new RegExp(`^${POLITE}(?:我的)?(?:${LEAVE})?(?:申请|流程|审批)?(?:的)?(?:进度|进展)(?:查询|怎么样了?|到哪了?|如何)?(?:了)?(?:吗|呢)?$`),
  new RegExp(`^${POLITE}(?:查询?|看看?)(?:一下)?(?:我的)?(?:${LEAVE})?(?:申请|审批)?(?:的)?(?:进度|状态)$`),
  new RegExp(`^${POLITE}我的${LEAVE}(?:申请)?(?:审批)?(?:到哪了|怎么样了|批了吗|通过了吗)$`),
];

const WITHDRAW = [
  new RegExp(`^${POLITE}(?:我)?(?:想|要|申请)?(?:撤回|撤销|取消)(?:我的)?${LEAVE}(?:申请|通知)?(?:了)?$`),
  new RegExp(`^${POLITE}我(?:还是)?(?:不想|不要|不打算|不)${LEAVE}了$`),
];

const EXPLICIT = [
  // bare: 离职 / 辞职 / 申请离职 / 离职申请 / 办理离职 / 提交离职申请
  new RegExp(`^${POLITE}(?:申请|办理|提出|提交|提)?${LEAVE}(?:申请)?$`),
  // first person: 我想离职 / 我要辞职 / 我决定离职了 / 我准备提离职 / 我想申请离职怎么操作
  new RegExp(
    `^${POLITE}我(?:想|要|准备|打算|决定|需要|申请)+(?:申请|办理|提出|提交|提)?${LEAVE}(?:了|申请)?(?:怎么(?:操作|办|弄|申请)|在哪(?:里)?(?:申请|提交)?|可以吗)?$`,
  ),
];

const HOW_TO = [
  new RegExp(`^${POLITE}(?:怎么|如何|怎样)(?:申请|办理|提)?${LEAVE}(?:呢|啊)?$`),
  new RegExp(`^${POLITE}${LEAVE}(?:流程|手续)(?:是什么|怎么走|怎么办理?|有哪些)?$`),
  new RegExp(`^${POLITE}${LEAVE}(?:要|需要)?(?:怎么|如何)(?:申请|办理|操作)$`),
];

const VENTING = /^(?:我)?(?:真的|实在|真)?(?:不想干了|不干了|干不下去了|做不下去了)(?:啊|了)?$/;

export function recogniseIntent(text: string): BotIntent {
  const t = normalise(text ?? "");
  if (!t) return { intent: "none" };
  if (CERTIFICATE.test(t)) return { intent: "certificate_question" };
  if (STATUS.some((r) => r.test(t))) return { intent: "resignation_status" };
  if (WITHDRAW.some((r) => r.test(t))) return { intent: "withdraw_resignation" };
  if (EXPLICIT.some((r) => r.test(t))) return { intent: "start_resignation", confidence: "explicit" };
  if (HOW_TO.some((r) => r.test(t))) return { intent: "start_resignation", confidence: "implicit" };
  if (VENTING.test(t)) return { intent: "start_resignation", confidence: "implicit" };
  return { intent: "none" };
}
