import { CAST } from "../cast";
import type { StoryContext } from "../storyContext";

/** The transcript names dossier entries in words. */
const INTERVIEW_ENTRY_LABELS: Record<string, string> = { exit_interview_scheduled: "已安排离职面谈", exit_interview_recorded: "已记录面谈结果" };

/**
 * Step 6. HR schedules the exit interview in the case (李老师 and the
 * interviewer are told in WeCom), holds it, and records the reasons from the
 * fixed list, the outcome "确认离职" and a rehire recommendation for the
 * alumni pool; each is a dossier entry.
 */
export async function exitInterview(s: StoryContext): Promise<void> {
  const { env, t } = s;
  const caseId = s.caseId!;
  t.step(6, "离职面谈：人事安排、记录原因与返聘建议", "exit interview: scheduled, reasons and rehire recommendation recorded");
  const hr = env.consoleToken(CAST.hr);
  const scheduled = await s.http("PUT", `/api/hr/cases/${caseId}/exit-interview`, hr, { scheduledAt: "2026-03-10T15:00:00+08:00", interviewerUserid: CAST.departmentHead });
  t.check("离职面谈已安排 · exit interview scheduled", scheduled.status === 200 && scheduled.body.exitInterview?.interviewerName === "赵明", scheduled.body.message);
  const told = await s.waitFor(() =>
    env.sandbox.state.messages.find((m) => m.deliveredTo.includes(CAST.leaver) && JSON.stringify(m.body).includes("【离职面谈】人事为您安排了离职面谈")),
  );
  t.check("李老师和面谈人收到通知 · the leaver and the interviewer are told", told !== undefined);

  env.clock.set("2026-03-10T16:00:00+08:00");
  // A week later: HR signs in to the console again (sessions last hours, not days).
  const recorded = await s.http("POST", `/api/hr/cases/${caseId}/exit-interview/outcome`, env.consoleToken(CAST.hr), {
    reasons: ["family", "commute"],
    outcome: "exit_confirmed",
    rehireRecommendation: "recommended",
    notes: "随家人迁往外地；教学评价优秀，欢迎将来回来。",
  });
  const view = recorded.body.exitInterview;
  t.check(
    "面谈结果：确认离职，建议返聘 · outcome: exit confirmed, rehire recommended",
    recorded.status === 200 && view?.outcome?.label === "确认离职" && view.rehireRecommendation?.label === "建议返聘",
    recorded.status === 200 ? `${(view?.reasons ?? []).map((r: { label: string }) => r.label).join("、")} · ${recorded.body.message}` : `${recorded.status} ${recorded.body?.error?.message}`,
  );
  const kinds = (await s.db.query(`SELECT kind FROM dossier_entry WHERE case_id = $1 AND kind LIKE 'exit_interview_%' ORDER BY seq`, [caseId])).map((r: { kind: string }) => r.kind);
  t.check("面谈记入档案 · the interview is in the dossier", kinds.join(",") === "exit_interview_scheduled,exit_interview_recorded", kinds.map((k: string) => INTERVIEW_ENTRY_LABELS[k] ?? "其他条目").join(" → "));
}
