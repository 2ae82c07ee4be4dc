import { activeTeacher, config, contactEvent, finalParents, leaver, outbound, parents, run } from "./fixtures";
import { StaffContext } from "../../../src/alerts/rules/observation";

const at = (iso: string) => new Date(iso);

describe("after the last day, any outbound message is an alert", () => {
  const afterLastDay = (iso: string, parent: string, extra = {}) => ({ ...outbound(0, parent, "各位家长好"), at: at(iso), ...extra });

  test.each([
    ["the morning after the last day", "2026-03-11T09:00:00+08:00", 1],
    ["one minute after midnight China time", "2026-03-11T00:01:00+08:00", 1],
    ["the last evening of the last day", "2026-03-10T23:59:00+08:00", 0],
    ["during the notice period", "2026-03-05T10:00:00+08:00", 0],
  ])("%s → %i", (_name, iso, expected) => {
    const r = run([afterLastDay(iso, "p1")], config(), leaver);
    expect(r.emitted.filter((a) => a.kind === "after_last_day_message")).toHaveLength(expected);
  });

  test("critical, immediate, to its own auditor; further messages update the same alert", () => {
    const r = run(
      [afterLastDay("2026-03-11T09:00:00+08:00", "p1"), afterLastDay("2026-03-11T09:05:00+08:00", "p2")],
      config(),
      leaver,
    );
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ severity: "critical", delivery: "immediate", auditorUserId: "hr_wang" });
    expect(r.emitted[0]!.title).toBe("【离职后发消息】王老师已过最后工作日（2026-03-10）仍在给家长发消息");
    expect(finalParents(r, r.emitted[0]!.incidentKey)).toEqual(["p1", "p2"]);
  });

  test("a parent writing to the leaver is not the leaver's act", () => {
    const r = run([afterLastDay("2026-03-11T09:00:00+08:00", "p1", { direction: "inbound" })], config(), leaver);
    expect(r.emitted).toEqual([]);
  });

  test("phase after_last_day without a date still alerts", () => {
    const gone: StaffContext = { staffUserId: "t_wang", employmentPhase: "after_last_day" };
    expect(run([outbound(0, "p1", "在吗")], config(), gone).emitted).toHaveLength(1);
  });

  test("a late-archived message from before the last day is not an after-hours message", () => {
    const marked: StaffContext = { ...leaver, employmentPhase: "after_last_day" };
    const r = run([afterLastDay("2026-03-09T10:00:00+08:00", "p1")], config(), marked);
    expect(r.emitted).toEqual([]);
  });
});

describe("mass deletion of parents", () => {
  const deletions = (n: number, spreadMinutes: number, source?: string) =>
    parents(n).map((p, i) => contactEvent((i * spreadMinutes) / n, p, "del_external_contact", source));

  test.each([
    ["active: 10 in 30 minutes", activeTeacher, 10, 20, 1, 10],
    ["active: 9 in 30 minutes", activeTeacher, 9, 20, 0, 0],
    ["active: 20 over 3 hours", activeTeacher, 20, 180, 0, 0],
    ["leaver: 3 in 30 minutes (10 × 0.3)", leaver, 3, 20, 1, 3],
    ["leaver: 2 in 30 minutes", leaver, 2, 20, 0, 0],
  ])("%s", (_name, staff, n, spread, alerts, firstParents) => {
    const r = run(deletions(n, spread), config(), staff);
    expect(r.emitted).toHaveLength(alerts);
    if (alerts) expect(r.emitted[0]!.parentsAffected).toHaveLength(firstParents);
  });

  test("a continuing purge updates one alert", () => {
    const r = run(deletions(25, 25), config(), activeTeacher);
    expect(r.emitted).toHaveLength(1);
    expect(finalParents(r, r.emitted[0]!.incidentKey)).toHaveLength(25);
    expect(r.emitted[0]!.title).toContain("批量删除家长");
  });

  test("deletions caused by our own transfers (DELETE_BY_TRANSFER) do not count", () => {
    expect(run(deletions(30, 10, "DELETE_BY_TRANSFER"), config(), activeTeacher).emitted).toEqual([]);
  });

  test("a duplicated callback counts once", () => {
    const nine = deletions(9, 10);
    expect(run([...nine, ...nine], config(), activeTeacher).emitted).toEqual([]);
  });
});

describe("parents leaving (del_follow_user)", () => {
  test("first parent opens a digest alert for the parentLeft auditor, later ones join it", () => {
    const r = run(
      [contactEvent(0, "p1", "del_follow_user"), contactEvent(20, "p2", "del_follow_user"), contactEvent(20, "p2", "del_follow_user")],
      config(),
      activeTeacher,
    );
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ kind: "parent_left", delivery: "digest", auditorUserId: "hr_li", severity: "info" });
    expect(r.updated).toHaveLength(1);
    expect(r.updated[0]!.parentsAffected).toEqual(["p1", "p2"]);
  });

  test("immediate delivery when configured; leaver raises severity", () => {
    const cfg = config({ parentLeft: { ruleId: "pl", auditorUserId: "hr_li", delivery: "immediate" } });
    const r = run([contactEvent(0, "p1", "del_follow_user")], cfg, leaver);
    expect(r.emitted[0]).toMatchObject({ delivery: "immediate", severity: "warning" });
  });

  test("a parent leaving after the cool-down is a new alert", () => {
    const r = run([contactEvent(0, "p1", "del_follow_user"), contactEvent(120, "p2", "del_follow_user")], config(), activeTeacher);
    expect(r.emitted).toHaveLength(2);
  });

  test("add_external_contact is not a risk", () => {
    expect(run([contactEvent(0, "p1", "add_external_contact")], config(), leaver).emitted).toEqual([]);
  });
});
