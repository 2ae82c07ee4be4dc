import { CAST, MASS_PARENTS } from "../cast";
import type { StoryContext } from "../storyContext";

const PITCH = "各位家长好，我下个月起在外面自己开班，学费便宜一半，想继续跟我学的加我私人微信 ma-teacher-2026";

/**
 * Step 5. 马老师 sends the same pitch to a dozen parents from his work
 * account within minutes. The mirrored messages go through the risk rules:
 * HR gets ONE alert (robot and card) with the conversation around the hit,
 * and freezes his account from the card.
 */
export async function massMessagingAlert(s: StoryContext): Promise<void> {
  const { env, t } = s;
  t.step(5, "马老师用工作号群发家长，人事收到预警并冻结账号", "another employee mass-messages parents; HR is alerted once and freezes the account");
  const alerts = env.service.capabilities.alerts;
  env.sandbox.actors.chat({ from: MASS_PARENTS[0]!, to: CAST.massMessager, content: "马老师，下周的课还照常吗？" });
  for (const parent of MASS_PARENTS) {
    env.clock.advance(20_000);
    env.sandbox.actors.chat({ from: CAST.massMessager, to: parent, content: PITCH });
  }
  await env.sandbox.actors.archiveNotify();
  const raised = await s.waitFor(async () => {
    await alerts.consumer?.idle();
    const rows: { id: string; parents: string[]; status: string }[] = await s.db.query(`SELECT id, parents, status FROM alert WHERE staff_userid = $1 AND kind = 'mass_messaging'`, [CAST.massMessager]);
    return rows.length > 0 ? rows : undefined;
  });
  const alert = raised?.[0];
  t.check("只产生一条预警 · exactly one alert", raised?.length === 1 && alert!.parents.length === MASS_PARENTS.length, `${raised?.length ?? 0} alert covering ${alert?.parents.length ?? 0} parents`);
  if (!alert) return;

  await env.service.capabilities.wecom.outbox.drain();
  const card = env.sandbox.state.messages.find((m) => m.taskId === `alert-${alert.id}` && m.deliveredTo.includes(CAST.hr));
  const robot = env.sandbox.state.webhookMessages.filter((w) => w.key === CAST.robotKey);
  t.check("人事收到预警卡片与群机器人消息 · HR got the card and the robot message", card !== undefined && robot.length === 1, `robot messages: ${robot.length}`);
  const detail = await s.http("GET", `/api/hr/alerts/${alert.id}`, env.consoleToken(CAST.hr));
  const context = detail.body?.context?.[0];
  t.check("预警附带上下文 · the alert carries the conversation around the hit", context?.hit?.text === PITCH && context.before.length >= 1, `${context?.before.length ?? 0} before, hit, ${context?.after.length ?? 0} after`);

  await env.sandbox.actors.clickTemplateCardButton(CAST.hr, `alert-${alert.id}`, "freeze");
  const frozen = await s.waitFor(() => env.sandbox.state.users.get(CAST.massMessager)?.status === 2);
  // The sandbox disables the account before the service commits the alert's new status: wait for the commit.
  await s.waitFor(async () => (await s.count(`SELECT count(*) AS n FROM alert_action WHERE alert_id = $1`, [alert.id])) > 0);
  const [after] = await s.db.query(`SELECT status FROM alert WHERE id = $1`, [alert.id]);
  const [action] = await s.db.query(`SELECT action, actor_userid, via FROM alert_action WHERE alert_id = $1`, [alert.id]);
  t.check("卡片冻结账号 · account frozen from the card", frozen === true && after?.status === "frozen" && action?.via === "card", `马强的企业微信账号已停用（WeCom status ${env.sandbox.state.users.get(CAST.massMessager)?.status}），${action?.actor_userid === CAST.hr ? "刘敏" : "其他人"}在预警卡片上操作`);
}
