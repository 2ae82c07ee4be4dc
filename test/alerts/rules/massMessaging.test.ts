import { DUPLICATE_REASON, VOLUME_REASON } from "../../../src/alerts/rules/massMessaging";
import { initialRiskState, step } from "../../../src/alerts/rules/riskDetector";
import { activeTeacher, config, finalParents, leaver, outbound, parents, run } from "./fixtures";

const SLANDER = "您好，我下个月起就不在本校任教了。学校管理混乱、拖欠克扣工资，建议您尽快给孩子转到别的机构，有需要可以私下联系我。";
const GREETINGS = ["王妈妈", "李爸爸", "张奶奶", "赵妈妈", "刘爸爸", "陈外婆"];
const personalised = (i: number) => `${GREETINGS[i % GREETINGS.length]}${SLANDER}`;

describe("mass messaging: the seed story (a leaver slanders the school to every parent)", () => {
  const thirty = parents(30);
  const burst = thirty.map((p, i) => outbound(i * 10 / 60, p, personalised(i))); // 30 sends in 5 minutes

  test("a leaver sending the same text to 30 parents in 5 minutes → exactly one alert listing all 30", () => {
    const r = run(burst, config(), leaver);
    expect(r.emitted).toHaveLength(1);
    const alert = r.emitted[0]!;
    expect(alert.kind).toBe("mass_messaging");
    expect(alert.auditorUserId).toBe("hr_zhang");
    expect(alert.severity).toBe("critical"); // warning, raised one level for a leaver
    expect(alert.title).toContain("王老师（离职交接中）");
    expect(alert.reasons).toContain(DUPLICATE_REASON);
    // Notice-period threshold: ceil(15 × 0.3) = 5 parents.
    expect(alert.parentsAffected).toHaveLength(5);
    expect(r.updated.every((u) => u.incidentKey === alert.incidentKey)).toBe(true);
    expect(finalParents(r, alert.incidentKey).sort()).toEqual(thirty);
    expect(r.updated.at(-1)!.hitMsgids).toHaveLength(30);
    expect(r.updated.at(-1)!.summary).toContain("30位家长");
  });

  test("the same burst from an active teacher alerts later (15 parents) but still once", () => {
    const r = run(burst, config(), activeTeacher);
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]!.parentsAffected).toHaveLength(15);
    expect(r.emitted[0]!.severity).toBe("warning");
    expect(finalParents(r, r.emitted[0]!.incidentKey)).toHaveLength(30);
  });

  test("out-of-order archive delivery still gives one complete alert", () => {
    const shuffled = [...burst].sort((a, b) => (a.msgid.length * 7 + Number(a.msgid.slice(1)) * 13) % 31 - (b.msgid.length * 7 + Number(b.msgid.slice(1)) * 13) % 31);
    const r = run(shuffled, config(), leaver);
    expect(r.emitted).toHaveLength(1);
    expect(finalParents(r, r.emitted[0]!.incidentKey).sort()).toEqual(thirty);
  });

  test("replaying every observation (at-least-once delivery) emits nothing more", () => {
    const once = run(burst, config(), leaver);
    const again = run(burst, config(), leaver, once.state);
    expect(again.emitted).toEqual([]);
    expect(again.updated).toEqual([]);
  });

  test("state survives a JSON round trip mid-stream with identical results", () => {
    const whole = run(burst, config(), leaver);
    const first = run(burst.slice(0, 12), config(), leaver);
    const rehydrated = JSON.parse(JSON.stringify(first.state));
    const rest = run(burst.slice(12), config(), leaver, rehydrated);
    expect([...first.emitted, ...rest.emitted]).toEqual(whole.emitted);
    expect([...first.updated, ...rest.updated]).toEqual(whole.updated);
  });

  test("step does not mutate the state it is given", () => {
    const cfg = config();
    const state = run(burst.slice(0, 6), cfg, leaver).state;
    const frozen = JSON.stringify(state);
    step(state, burst[6]!, { config: cfg, staff: leaver });
    expect(JSON.stringify(state)).toBe(frozen);
  });

  test("a later copy after the window, still inside the cool-down, joins the open incident", () => {
    const late = outbound(30, "p99", personalised(3));
    const r = run([...burst, late], config(), leaver);
    expect(r.emitted).toHaveLength(1);
    expect(finalParents(r, r.emitted[0]!.incidentKey)).toContain("p99");
  });

  test("after the cool-down a new burst is a new incident", () => {
    const second = parents(30, "q").map((p, i) => outbound(180 + i * 10 / 60, p, personalised(i)));
    const r = run([...burst, ...second], config(), leaver);
    expect(r.emitted).toHaveLength(2);
    expect(r.emitted[0]!.incidentKey).not.toBe(r.emitted[1]!.incidentKey);
    expect(finalParents(r, r.emitted[1]!.incidentKey).every((p) => p.startsWith("q"))).toBe(true);
  });
});

describe("mass messaging: volume and false positives", () => {
  const varied = (i: number) => `第${i}条：关于孩子${i}号作业的个别反馈，今天第${i * 7}题需要订正${"一二三四五六七八九"[i % 9]}遍`;

  test.each([
    ["45 different texts to 45 parents in 10 minutes", 45, 10, 1],
    ["39 parents in 10 minutes (below 40)", 39, 10, 0],
    ["45 parents spread over 90 minutes", 45, 90, 0],
  ])("active teacher: %s → %i alert(s)", (_name, count, spreadMinutes, expected) => {
    const obs = parents(count).map((p, i) => outbound((i * spreadMinutes) / count, p, varied(i)));
    const r = run(obs, config(), activeTeacher);
    expect(r.emitted).toHaveLength(expected);
    if (expected) expect(r.emitted[0]!.reasons).toEqual([VOLUME_REASON]);
  });

  test("leaver: 12 different parents in 10 minutes is enough (40 × 0.3)", () => {
    const obs = parents(12).map((p, i) => outbound(i / 2, p, varied(i)));
    expect(run(obs, config(), leaver).emitted).toHaveLength(1);
    expect(run(obs.slice(0, 11), config(), leaver).emitted).toHaveLength(0);
  });

  test("20 short replies '收到' to 20 parents are not duplicates", () => {
    const obs = parents(20).map((p, i) => outbound(i / 4, p, "收到，谢谢！"));
    expect(run(obs, config(), activeTeacher).emitted).toEqual([]);
  });

  test("one post in a 50-parent class group is ordinary teaching", () => {
    const post = outbound(0, "", SLANDER, { roomId: "room1", externalUserIds: parents(50) });
    expect(run([post], config(), leaver).emitted).toEqual([]);
  });

  test("a leaver posting the same text to three class groups is mass messaging", () => {
    const posts = ["room1", "room2", "room3"].map((room, i) =>
      outbound(i, "", SLANDER, { roomId: room, externalUserIds: parents(20, room) }),
    );
    const r = run(posts, config(), leaver);
    expect(r.emitted).toHaveLength(1);
    expect(finalParents(r, r.emitted[0]!.incidentKey)).toHaveLength(60);
  });

  test("inbound messages and messages without parents never count", () => {
    const inbound = parents(50).map((p, i) => outbound(i / 10, p, SLANDER, { direction: "inbound" }));
    const internal = Array.from({ length: 50 }, (_, i) => outbound(i / 10, "", SLANDER, { externalUserIds: [] }));
    expect(run([...inbound, ...internal], config(), leaver).emitted).toEqual([]);
  });

  test("a disabled rule never fires", () => {
    const cfg = config({ massMessaging: { ruleId: "mm", auditorUserId: "hr", enabled: false } });
    const obs = parents(30).map((p, i) => outbound(i / 6, p, personalised(i)));
    expect(run(obs, cfg, leaver).emitted).toEqual([]);
  });

  test("feeding another staff member's observation is a programming error", () => {
    const state = initialRiskState("t_li");
    expect(() => step(state, outbound(0, "p1", "hi"), { config: config(), staff: activeTeacher })).toThrow(/t_li/);
  });
});

describe("mass messaging: long incidents", () => {
  test("evidence msgids are capped while every parent is still listed", () => {
    const obs = parents(80).flatMap((p, i) =>
      Array.from({ length: 10 }, (_, k) => outbound(i * 0.1 + k * 0.001, p, `第${k}次：${SLANDER}`)),
    );
    const r = run(obs, config(), leaver);
    expect(r.emitted).toHaveLength(1);
    const last = r.updated.at(-1)!;
    expect(last.parentsAffected).toHaveLength(80);
    expect(last.hitMsgids).toHaveLength(500);
  });
});
