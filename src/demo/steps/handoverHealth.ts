import { CAST, LEAVER_PARENTS } from "../cast";
import type { StoryContext } from "../storyContext";

/**
 * Step 10. A month after the handover: the successors wrote to the parents
 * they inherited; most replied, one mentioned changing schools (转校). The
 * handover health shows the retention figure for 李老师's parents 30 days
 * after the handover, and the at-risk parent with the reason, by name.
 */
export async function handoverHealth(s: StoryContext): Promise<void> {
  const { env, t } = s;
  t.step(10, "交接一个月后：李老师家长的留存率与流失风险", "a month later: retention of 李老师's parents and the parent at risk");
  const transfers: { external_userid: string; successor_userid: string }[] = await s.db.query(
    `SELECT external_userid, successor_userid FROM customer_transfer WHERE leaver_userid = $1 AND status = 'done' AND superseded_at IS NULL ORDER BY external_userid`,
    [CAST.leaver],
  );
  for (const p of transfers) await env.sandbox.actors.parentConsentsToArchive(p.external_userid, p.successor_userid);
  await s.waitFor(async () => (await s.count(`SELECT count(*) AS n FROM archive_consent WHERE status = 'agree'`)) >= LEAVER_PARENTS.length + transfers.length - 1);

  const health = env.service.capabilities.handover.health;
  await health.refresh();
  env.clock.advanceHours(24);
  const [atRisk, ...others] = transfers;
  const since = env.clock.now();
  for (const p of transfers) {
    env.clock.advance(60_000);
    env.sandbox.actors.chat({ from: p.successor_userid, to: p.external_userid, content: "您好，我是孩子的新老师，以后有事随时找我" });
  }
  env.clock.advance(3_600_000);
  if (atRisk) env.sandbox.actors.chat({ from: atRisk.external_userid, to: atRisk.successor_userid, content: "谢谢老师，不过孩子下学期可能要转校了" });
  // All but the last of the others reply; the last stays quiet.
  for (const p of others.slice(0, -1)) {
    env.clock.advance(60_000);
    env.sandbox.actors.chat({ from: p.external_userid, to: p.successor_userid, content: "好的老师，谢谢" });
  }
  await env.sandbox.actors.archiveNotify();
  // The health pass reads what the archive stored (refund words included), so it runs once the drain has stored the new chats.
  const expected = transfers.length + (atRisk ? 1 : 0) + Math.max(0, others.length - 1);
  await s.waitFor(async () => (await s.count(`SELECT count(*) AS n FROM archive_message WHERE msg_time > $1`, [since])) >= expected || undefined);
  await health.refresh();

  env.clock.advanceHours(31 * 24);
  const view = await s.http("GET", `/api/hr/handover-health?leaver=${CAST.leaver}`, env.consoleToken(CAST.hr));
  const overall = view.body?.overall;
  t.check(
    "李老师家长30天留存率 · retention of 李老师's parents 30 days after the handover",
    view.status === 200 && overall?.day30?.eligible === LEAVER_PARENTS.length && overall.day30.retained === transfers.length - 1,
    `${overall?.day30Text}（${overall?.day30?.retained}/${overall?.day30?.eligible} 位家长仍在关注接任老师并有回复）`,
  );
  const risky = (view.body?.parents ?? []).find((p: { state: string }) => p.state === "at_risk");
  t.check(
    "流失风险家长及原因 · a parent at risk, with the reason",
    risky?.reason === "家长沟通中出现「转校」" && typeof risky.parentName === "string" && !risky.parentName.startsWith("wm_"),
    risky ? `${risky.parentName}（接任：${risky.successorName}）— ${risky.reason}` : "none",
  );
}
