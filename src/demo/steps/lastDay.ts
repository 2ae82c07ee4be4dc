import { CAST, CORP_SEED, LEAVER_GROUPS, LEAVER_PARENTS } from "../cast";
import type { StoryContext } from "../storyContext";

export const WECOM_PATHS = {
  resignedTransfer: "/cgi-bin/externalcontact/resigned/transfer_customer",
  groupTransfer: "/cgi-bin/externalcontact/groupchat/transfer",
  appMessage: "/cgi-bin/message/send",
  msgTemplate: "/cgi-bin/externalcontact/add_msg_template",
} as const;

/**
 * Step 7. The last day: wages released and the certificate issued in the
 * morning; IT removes 李老师 from WeCom; her parents go to the head teachers
 * of their children's classes through the resigned-transfer API, one parent
 * refuses and HR is told; her groups change owner; parents are told who
 * their new teacher is; 王老师 can read the history of the parents she inherited.
 */
export async function lastDay(s: StoryContext): Promise<void> {
  const { env, t } = s;
  const caseId = s.caseId!;
  t.step(7, "最后工作日：结算、转接家长与群、通知家长、接任老师查看记录、开具离职证明", "the last day: wages, transfers, parents told, history for the successor, certificate");
  const lifecycle = async () => {
    const job = env.service.capabilities.jobs.find((j) => j.name === "handover-transfer-lifecycle");
    if (!job) throw new Error("story: no handover lifecycle job");
    // A pass queues the handover's notices; the one outbox sends them (drained here rather than waited for).
    await job.run();
    await env.service.capabilities.wecom.outbox.drain();
  };

  env.clock.set("2026-04-01T08:00:00+08:00");
  const run = await env.service.capabilities.resignation.runLastDayTransitions();
  // The last day announces that the transfers are due; handover hears it through the domain events.
  await env.service.capabilities.events.drain();
  t.check("最后工作日流转 · last-day transition ran", run.moved.includes(caseId) && run.failed.length === 0, run.failed.length ? run.failed.map((f) => f.error).join("; ") : `moved ${run.moved.length}`);
  const hrView = await s.http("GET", `/api/hr/cases/${caseId}`, env.consoleToken(CAST.hr));
  const wages = hrView.body?.settlement?.finalWages;
  t.check("工资结清 · final wages released", Boolean(wages?.releasedAt) && wages.dueOn === "2026-04-01", `应付日 ${wages?.dueOn}，已发放`);
  const certificate = await s.mp(CAST.leaver).getCertificate(caseId);
  const delivered = await s.waitFor(async () => (await s.db.query(`SELECT delivered_at FROM termination_certificate WHERE case_id = $1`, [caseId]))[0]?.delivered_at);
  t.check("离职证明已开具并送达 · certificate issued and delivered", certificate.fields.terminationDate === "2026-04-01" && Boolean(delivered), `${certificate.fields.employeeName}，${certificate.fields.employer}，终止日期 ${certificate.fields.terminationDate}`);

  env.clock.set("2026-04-01T18:00:00+08:00");
  await env.sandbox.actors.memberLeaves(CAST.leaver);
  const left = await s.waitFor(async () => (await s.count(`SELECT count(*) AS n FROM staff WHERE userid = $1 AND status = 5`, [CAST.leaver])) === 1);
  t.check("IT 在企业微信中移除账号 · IT removed the account in WeCom", left === true, "企业微信通知成员已删除（change_contact）→ 员工状态：已离职");

  await lifecycle();
  const batches = env.sandbox.calls.callsTo(WECOM_PATHS.resignedTransfer);
  const sentParents = batches.flatMap((c) => (c.body as { external_userid: string[] }).external_userid);
  t.check("家长分批离职继承 · parents sent in batches", sentParents.length === LEAVER_PARENTS.length, `${batches.length} call(s) for ${sentParents.length} parents`);
  const groups = env.sandbox.calls.callsTo(WECOM_PATHS.groupTransfer);
  const newOwners = LEAVER_GROUPS.map((id) => env.sandbox.state.groupChats.get(id)?.owner);
  t.check("家长群已转让 · groups transferred", groups.length >= 1 && newOwners.every((o) => o && o !== CAST.leaver), `新群主：${newOwners.map((o) => nameOf(o)).join("、")}`);

  await env.sandbox.actors.refuseTransfer(CAST.refusingParent);
  env.clock.advanceHours(24);
  await env.sandbox.tick();
  await lifecycle();
  await lifecycle();
  const outcomes = await transferOutcomes(s);
  t.check("24 小时后完成接替，1 位家长拒绝 · after 24 h: transferred, one refused", outcomes.done === LEAVER_PARENTS.length - 1 && outcomes.refused === 1, `已完成 ${outcomes.done ?? 0} 位，家长拒绝 ${outcomes.refused ?? 0} 位`);
  const problems = env.sandbox.calls.callsTo(WECOM_PATHS.appMessage).filter((c) => (c.body as { touser?: string }).touser === CAST.hr && JSON.stringify(c.body).includes("家长拒绝了转接"));
  t.check("拒绝情况报给人事 · the refusal reported to HR", problems.length === 1, `${problems.length} 条消息发给刘敏`);
  const intros = env.sandbox.calls.callsTo(WECOM_PATHS.msgTemplate);
  const introText = intros.map((c) => (c.body as { text?: { content?: string } }).text?.content ?? "").join(" / ");
  t.check("家长获知新老师 · parents told their new teacher", intros.length >= 1 && /王芳|周洋/.test(introText), introText.slice(0, 60));

  // The successor opens her predecessor's threads through the archive API, as she would in the console (记录继承).
  const successorToken = env.consoleToken(CAST.successors[0]);
  let readable = 0;
  let parentsOpened = 0;
  for (const parent of LEAVER_PARENTS) {
    const thread = await s.http("GET", `/api/conversations/threads?staff=${CAST.leaver}&parent=${parent}`, successorToken);
    if (thread.status !== 200) continue;
    parentsOpened++;
    readable += thread.body.data.length;
  }
  t.check(
    "接任老师查看历史记录 · the successor reads the history",
    parentsOpened > 0 && parentsOpened < LEAVER_PARENTS.length && readable === parentsOpened * 3,
    `王芳 opened ${parentsOpened} handed-over threads (${readable} messages); the others stay closed to her`,
  );
}

/** A person's name in the transcript (the cast's WeCom directory), never their account. */
function nameOf(userid: string | undefined): string {
  return CORP_SEED.users?.find((u) => u.userid === userid)?.name ?? "（未知成员）";
}

export async function transferOutcomes(s: StoryContext): Promise<Record<string, number>> {
  const rows: { status: string; n: number }[] = await s.db.query(
    `SELECT status, count(*)::int AS n FROM customer_transfer WHERE leaver_userid = $1 AND superseded_at IS NULL GROUP BY status ORDER BY status`,
    [CAST.leaver],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
