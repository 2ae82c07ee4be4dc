import { CAST } from "../cast";
import type { StoryContext } from "../storyContext";

interface StepRow {
  id: string;
  decision: string;
  card_task_id: string | null;
}

/**
 * Step 4. The department head approves from the card at once. IT lets the
 * card sit: 24 hours later the reminder sweep reminds IT (a WeCom message and
 * a dossier entry). IT then checks the accounts on the handover checklist and
 * approves; HR approves last and the handover starts.
 */
export async function approveWithReminder(s: StoryContext): Promise<void> {
  const { env, t } = s;
  const caseId = s.caseId!;
  t.step(4, "审批：部门负责人、IT（迟到一天，收到提醒）、人事", "approvals: department head, IT (a day late, reminded), HR");
  const stepOf = async (step: string): Promise<StepRow | undefined> =>
    (await s.db.query(`SELECT id, decision, card_task_id FROM approval_step WHERE case_id = $1 AND step = $2`, [caseId, step]))[0];
  const opened = (step: string) => s.waitFor(async () => {
    const row = await stepOf(step);
    return row?.decision === "pending" && row.card_task_id && env.sandbox.state.messages.some((m) => m.taskId === row.card_task_id) ? row : undefined;
  });
  const decided = (step: string) => s.waitFor(async () => ((await stepOf(step))?.decision === "approved" ? true : undefined));

  const head = await opened("department_head");
  await env.sandbox.actors.clickTemplateCardButton(CAST.departmentHead, head!.card_task_id!, "approve");
  t.check("部门负责人在卡片上同意 · department head approved from the card", (await decided("department_head")) === true);

  const it = await opened("it");
  t.check("IT 收到审批卡片 · IT got its card", it !== undefined);
  env.clock.advanceHours(24);
  const sweep = await env.service.capabilities.sweepReminders();
  const approvalReminders: { recipient_userid: string }[] = await s.db.query(
    `SELECT r.recipient_userid FROM reminder_delivery d JOIN reminder r ON r.id = d.reminder_id
     WHERE r.case_id = $1 AND r.subject_kind = 'approval_step' AND d.kind = 'reminder'`,
    [caseId],
  );
  const delivered = await s.waitFor(() =>
    env.sandbox.state.messages.find((m) => m.deliveredTo.includes(CAST.it) && m.msgtype === "text" && JSON.stringify(m.body).includes("待您处理")),
  );
  t.check(
    "24 小时后提醒 IT（仅此一条审批提醒）· IT reminded after 24 h (the only approval reminder)",
    approvalReminders.length === 1 && approvalReminders[0]!.recipient_userid === CAST.it && delivered !== undefined,
    `北京时间 ${env.clock.now().toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}`,
  );
  // The handover checklist's signers are reminded on the same clock; the transcript says so rather than hiding it.
  t.note(`同一轮共发出 ${sweep.reminded} 条提醒（另有交接清单签字提醒）· ${sweep.reminded} reminders in this sweep, incl. checklist signatures`);
  const inDossier = await s.count(
    `SELECT count(*) AS n FROM dossier_entry WHERE case_id = $1 AND kind = 'reminder_sent' AND payload->>'subject' = 'approval_step' AND payload->>'recipient' = $2`,
    [caseId, CAST.it],
  );
  t.check("提醒记入证据档案 · the reminder is in the dossier", inDossier === 1);

  const checklist = await s.mp(CAST.it).getChecklist(caseId);
  const accounts = checklist.items.filter((i) => i.kind === "account_disabled" && i.owner === "it");
  t.check("IT 核对待停用账号 · IT checked the accounts to close", accounts.length === 2, accounts.map((a) => a.title).join("、"));
  await env.sandbox.actors.clickTemplateCardButton(CAST.it, it!.card_task_id!, "approve");
  t.check("IT 同意 · IT approved", (await decided("it")) === true);

  const hr = await opened("hr");
  await env.sandbox.actors.clickTemplateCardButton(CAST.hr, hr!.card_task_id!, "approve");
  t.check("人事同意 · HR approved", (await decided("hr")) === true);
  const status = await s.waitFor(async () => {
    const c = await s.mp(CAST.leaver).getCase(caseId);
    return c.status === "handover_in_progress" ? c : undefined;
  });
  t.check("进入交接 · handover in progress", status !== undefined, status?.statusLabel);
}
