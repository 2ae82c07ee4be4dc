import { CAST } from "../cast";
import { SIGNATURE_PNG } from "../miniProgram";
import type { StoryContext } from "../storyContext";

/**
 * Step 3. 李老师 texts the bot; it answers with a mini-program card carrying
 * her lawful earliest last day. In the mini-program (its real API client) she
 * starts the case — told to e-sign the written notice within 3 working days
 * on the official calendar (seed 004) — and signs it; the department head's
 * approval card goes out.
 */
export async function resignThroughBot(s: StoryContext): Promise<void> {
  const { env, t } = s;
  t.step(3, "李老师向机器人发送“我想离职”，在小程序签署书面通知", "李老师 texts the bot, signs the written notice in the mini-program");
  await env.sandbox.actors.memberTextsApp(CAST.leaver, "我想离职");
  const card = await s.waitFor(() =>
    env.sandbox.state.messages.find((m) => m.deliveredTo.includes(CAST.leaver) && m.msgtype === "miniprogram_notice"),
  );
  const items = (card?.body.miniprogram_notice as { content_item?: { key: string; value: string }[] } | undefined)?.content_item ?? [];
  const earliestOnCard = items.find((i) => i.key === "最早离职日")?.value;
  t.check("机器人回复小程序卡片 · bot answered with the mini-program card", earliestOnCard !== undefined, `最早离职日：${earliestOnCard}`);

  const mp = s.mp(CAST.leaver);
  const overview = await mp.getOverview();
  t.check("小程序显示法定最早离职日 · mini-program shows the lawful earliest date", overview.case === null && overview.earliest.lastDay === "2026-04-01", `${overview.earliest.lastDay} (${overview.earliest.noticeDays} 天，${overview.earliest.basis})`);
  t.note(overview.earliest.explanation);

  const started = await mp.startResignation({
    reasonCategory: "family",
    reasonText: "家人在外地，需要随迁",
    requestedLastDay: overview.earliest.lastDay,
    handoverNotes: "班级资料在共享盘“三年级英语”文件夹",
  });
  s.caseId = started.id;
  t.check("离职申请已创建 · case started", started.status === "notice_pending_signature", `case ${started.id.slice(0, 8)} · ${started.statusLabel}`);

  // Seed 004: the written notice is due within 3 working days on the official calendar (Mon 03-02 → Thu 03-05).
  const deadline = started.noticeDeadline;
  t.check(
    "书面离职通知签署期限：3个工作日 · written-report deadline, 3 working days",
    deadline?.deadline === "2026-03-05" && deadline.workingDays === 3 && !deadline.provisional,
    `签署期限 ${deadline?.deadline}（${deadline?.workingDays} 个工作日，按国家法定节假日安排）`,
  );
  const told = await s.waitFor(() =>
    env.sandbox.state.messages.find((m) => m.deliveredTo.includes(CAST.leaver) && m.msgtype === "text" && JSON.stringify(m.body).includes("请在2026年3月5日")),
  );
  t.check("企业微信通知李老师签署期限 · the leaver is told the deadline in WeCom", told !== undefined);
  if (deadline) t.note(deadline.instruction);

  const notice = await mp.getNotice(started.id);
  const signed = await mp.signNotice(started.id, {
    typedName: CAST.leaverName,
    signatureImage: SIGNATURE_PNG,
    confirm: true,
    device: { model: "iPhone 15", system: "iOS 17.4", platform: "ios", version: "4.1.20" },
  });
  t.check("书面离职通知已签署 · written notice signed", signed.signed?.documentSha256 === notice.sha256, `sha256 ${notice.sha256.slice(0, 12)}…`);
  const [signedEntry] = await s.db.query(`SELECT payload FROM dossier_entry WHERE case_id = $1 AND kind = 'notice_signed'`, [started.id]);
  t.check(
    "按期签署，记入档案 · signed within the deadline, in the dossier",
    signedEntry?.payload?.withinDeadline === true && signedEntry.payload.noticeDeadline === "2026-03-05",
    `签署期限 ${signedEntry?.payload?.noticeDeadline}，按期：${signedEntry?.payload?.withinDeadline ? "是" : "否"}`,
  );

  const [step] = await s.db.query(`SELECT decision, card_task_id FROM approval_step WHERE case_id = $1 AND step = 'department_head'`, [started.id]);
  const headCard = await s.waitFor(() => env.sandbox.state.messages.find((m) => m.taskId === step?.card_task_id && m.deliveredTo.includes(CAST.departmentHead)));
  t.check("部门负责人收到审批卡片 · department head got the approval card", step?.decision === "pending" && headCard !== undefined);
}
