import { nextReminderAt, ReminderPolicy, shouldEscalate } from "../../../src/schedules/rules/reminderPolicy";

const policy: ReminderPolicy = {
  firstAfterHours: 24,
  everyHours: 24,
  escalateAfter: 2,
  quietHours: { start: "21:00", end: "08:00", tz: "Asia/Shanghai" },
};
const at = (s: string) => new Date(s);

describe("nextReminderAt", () => {
  test.each([
    ["first reminder 24 h after opening", { openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent: 0, done: false }, "2026-03-03T10:00:00+08:00"],
    ["second reminder 24 h after the first", { openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent: 1, lastReminderAt: at("2026-03-03T10:00:00+08:00"), done: false }, "2026-03-04T10:00:00+08:00"],
    ["+48 h nominal when the send time was not recorded", { openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent: 1, done: false }, "2026-03-04T10:00:00+08:00"],
    ["due 23:30 moves to 08:00 next day", { openedAt: at("2026-03-02T23:30:00+08:00"), remindersSent: 0, done: false }, "2026-03-04T08:00:00+08:00"],
    ["due 02:00 moves to 08:00 same day", { openedAt: at("2026-03-02T02:00:00+08:00"), remindersSent: 0, done: false }, "2026-03-03T08:00:00+08:00"],
    ["due exactly 21:00 is quiet", { openedAt: at("2026-03-02T21:00:00+08:00"), remindersSent: 0, done: false }, "2026-03-04T08:00:00+08:00"],
    ["due exactly 08:00 is allowed", { openedAt: at("2026-03-02T08:00:00+08:00"), remindersSent: 0, done: false }, "2026-03-03T08:00:00+08:00"],
    ["due 20:59 is allowed", { openedAt: at("2026-03-02T20:59:00+08:00"), remindersSent: 0, done: false }, "2026-03-03T20:59:00+08:00"],
    ["quiet across month end", { openedAt: at("2026-03-30T22:00:00+08:00"), remindersSent: 0, done: false }, "2026-04-01T08:00:00+08:00"],
    ["after a deferred reminder the next counts from its send time", { openedAt: at("2026-03-02T23:30:00+08:00"), remindersSent: 1, lastReminderAt: at("2026-03-04T08:00:00+08:00"), done: false }, "2026-03-05T08:00:00+08:00"],
  ])("%s", (_name, step, expected) => {
    expect(nextReminderAt(step, policy)?.toISOString()).toBe(at(expected).toISOString());
  });

  test("no reminder after done", () => {
    expect(nextReminderAt({ openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent: 3, done: true }, policy)).toBeNull();
  });

  test("a daytime quiet window that does not cross midnight", () => {
    const lunch = { ...policy, quietHours: { start: "12:00", end: "14:00", tz: "Asia/Shanghai" } };
    const step = { openedAt: at("2026-03-02T12:30:00+08:00"), remindersSent: 0, done: false };
    expect(nextReminderAt(step, lunch)?.toISOString()).toBe(at("2026-03-03T14:00:00+08:00").toISOString());
  });

  test("start == end disables quiet hours", () => {
    const none = { ...policy, quietHours: { start: "00:00", end: "00:00", tz: "Asia/Shanghai" } };
    const step = { openedAt: at("2026-03-02T23:30:00+08:00"), remindersSent: 0, done: false };
    expect(nextReminderAt(step, none)?.toISOString()).toBe(at("2026-03-03T23:30:00+08:00").toISOString());
  });

  test("quiet hours follow the configured zone, not the server's", () => {
    const london = { ...policy, quietHours: { start: "21:00", end: "08:00", tz: "Europe/London" } };
    // 2026-07-01 22:00 BST (UTC+1) is quiet in London, daytime in Shanghai.
    const step = { openedAt: at("2026-06-30T21:00:00Z"), remindersSent: 0, done: false };
    expect(nextReminderAt(step, london)?.toISOString()).toBe(at("2026-07-02T07:00:00Z").toISOString());
  });

  test.each([
    ["zero interval", { everyHours: 0 }],
    ["negative first delay", { firstAfterHours: -1 }],
  ])("rejects a policy with a %s (it would remind in a loop)", (_name, patch) => {
    const step = { openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent: 1, done: false };
    expect(() => nextReminderAt(step, { ...policy, ...patch })).toThrow(RangeError);
  });

  test("malformed quiet hours are rejected", () => {
    const bad = { ...policy, quietHours: { start: "9pm", end: "08:00", tz: "Asia/Shanghai" } };
    expect(() => nextReminderAt({ openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent: 0, done: false }, bad)).toThrow(/HH:MM/);
  });
});

describe("shouldEscalate", () => {
  test.each([
    [0, false, false],
    [1, false, false],
    [2, false, true],
    [5, false, true],
    [5, true, false],
  ])("after %i reminders (done=%s) → %s", (remindersSent, done, expected) => {
    expect(shouldEscalate({ openedAt: at("2026-03-02T10:00:00+08:00"), remindersSent, done }, policy)).toBe(expected);
  });
});
