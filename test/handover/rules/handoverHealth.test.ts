import { contactReminderDue, handoverHealth, retainedAt, retentionFigure, type ParentHandoverFacts } from "../../../src/handover/health/handoverHealth";
import { monthKeys } from "../../../src/handover/health/retentionSummary";
import { toWallTime } from "../../../src/calendar/zonedTime";

const T0 = new Date("2026-03-01T02:00:00Z");
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const base: ParentHandoverFacts = { handedOverAt: T0, transferStatus: "done" };
const settings = { contactWithinDays: 3 };

describe("handover health: a per-parent state from facts", () => {
  it("lost when the parent deleted the successor or refused the transfer, whatever else happened", () => {
    expect(handoverHealth({ ...base, followDeletedAt: day(5), parentLastReplyAt: day(4), successorFirstMessageAt: day(1) }, day(6), settings)).toEqual({ state: "lost", reason: "家长删除了接任老师的企业微信" });
    expect(handoverHealth({ ...base, transferStatus: "refused" }, day(1), settings)).toEqual({ state: "lost", reason: "家长拒绝了转接" });
  });

  it("at risk on refund words, or when the successor has not written within the configured days", () => {
    expect(handoverHealth({ ...base, successorFirstMessageAt: day(1), parentLastReplyAt: day(2), refundWord: "退费", refundAt: day(2) }, day(3), settings)).toEqual({ state: "at_risk", reason: "家长沟通中出现「退费」" });
    expect(handoverHealth(base, day(4), settings)).toEqual({ state: "at_risk", reason: "接任老师交接后4天未联系家长" });
    expect(handoverHealth(base, day(3), settings).state).toBe("at_risk");
  });

  it("silent while the handover is fresh, or when the parent has not replied in 30 days", () => {
    expect(handoverHealth(base, day(2), settings)).toEqual({ state: "silent", reason: "刚完成交接，等待接任老师首次联系" });
    expect(handoverHealth({ ...base, successorFirstMessageAt: day(1) }, day(10), settings)).toEqual({ state: "silent", reason: "接任老师已联系，家长尚未回复" });
    expect(handoverHealth({ ...base, successorFirstMessageAt: day(1), parentLastReplyAt: day(2) }, day(40), settings)).toEqual({ state: "silent", reason: "家长已38天未回复" });
  });

  it("active when the parent wrote within the last 30 days", () => {
    expect(handoverHealth({ ...base, successorFirstMessageAt: day(1), parentLastReplyAt: day(2) }, day(32), settings)).toEqual({ state: "active", reason: "家长近30天内有回复" });
  });
});

describe("retention figure", () => {
  it("counts a parent retained at day D only once day D has come, still following and having written", () => {
    const replied = { ...base, parentFirstReplyAt: day(5), parentLastReplyAt: day(50) };
    expect(retainedAt(replied, 30, day(29))).toBeUndefined();
    expect(retainedAt(replied, 30, day(30))).toBe(true);
    expect(retainedAt({ ...replied, followDeletedAt: day(20) }, 30, day(30))).toBe(false);
    expect(retainedAt({ ...replied, followDeletedAt: day(60) }, 30, day(90))).toBe(true);
    expect(retainedAt({ ...replied, followDeletedAt: day(60) }, 90, day(90))).toBe(false);
    expect(retainedAt({ ...base, parentFirstReplyAt: day(40) }, 30, day(90))).toBe(false);
    expect(retainedAt({ ...base, transferStatus: "refused" }, 30, day(30))).toBe(false);
  });

  it("rate = retained / eligible; nobody eligible gives no rate", () => {
    const parents = [
      { ...base, parentFirstReplyAt: day(1) },
      { ...base, parentFirstReplyAt: day(2) },
      { ...base, followDeletedAt: day(3) },
      { ...base, handedOverAt: day(10), parentFirstReplyAt: day(11) },
    ];
    expect(retentionFigure(parents, 30, day(31))).toEqual({ eligible: 3, retained: 2, rate: 2 / 3 });
    expect(retentionFigure(parents, 90, day(31))).toEqual({ eligible: 0, retained: 0, rate: null });
  });
});

describe("contact reminders", () => {
  it("reminds the successor after N days without contact, then the campus head", () => {
    const s = { contactWithinDays: 3, escalateAfterDays: 2 };
    expect(contactReminderDue(base, day(2), s)).toBe("none");
    expect(contactReminderDue(base, day(3), s)).toBe("successor");
    expect(contactReminderDue(base, day(5), s)).toBe("campus_head");
    expect(contactReminderDue({ ...base, successorFirstMessageAt: day(4) }, day(9), s)).toBe("none");
    expect(contactReminderDue({ ...base, transferStatus: "refused" }, day(9), s)).toBe("none");
  });
});

describe("trend months", () => {
  it("places each handover in its China-time month, at the edges too, whatever order the instants come in", () => {
    const month = monthKeys();
    const keys = ["2026-02-28T15:59:59.999Z", "2026-02-28T16:00:00.000Z", "2026-01-15T00:00:00Z", "2026-02-01T03:00:00Z", "2025-12-31T16:00:00Z", "2025-12-31T15:59:59Z", "2026-03-31T15:59:59Z"].map((t) => month(new Date(t)));
    expect(keys).toEqual(["2026-02", "2026-03", "2026-01", "2026-02", "2026-01", "2025-12", "2026-03"]);
  });

  it("gives the same months as converting every instant, also in a zone with daylight saving", () => {
    const month = monthKeys("America/New_York");
    // Every 7 hours for a year, in a shuffled order: month ends (and the two DST changes) are crossed many times.
    const instants = Array.from({ length: 1252 }, (_, i) => new Date(Date.UTC(2025, 0, 1) + ((i * 577) % 1252) * 7 * 3_600_000));
    const direct = (d: Date) => {
      const w = toWallTime(d, "America/New_York");
      return `${w.year}-${String(w.month).padStart(2, "0")}`;
    };
    expect(instants.map(month)).toEqual(instants.map(direct));
  });
});
