import { fromInstant } from "../../src/platform/localDate";
import { startOfDate, startOfLocalDay } from "../../src/calendar/zonedTime";

describe("zonedTime", () => {
  test("China local date differs from the UTC date after 16:00 UTC", () => {
    expect(fromInstant(new Date("2026-03-02T16:30:00Z"), "Asia/Shanghai")).toBe("2026-03-03");
    expect(fromInstant(new Date("2026-03-02T15:59:59Z"), "Asia/Shanghai")).toBe("2026-03-02");
  });

  test("start of local day and of the next day", () => {
    const at = new Date("2026-03-02T23:30:00+08:00");
    expect(startOfLocalDay(at, "Asia/Shanghai").toISOString()).toBe("2026-03-01T16:00:00.000Z");
    expect(startOfLocalDay(at, "Asia/Shanghai", 1).toISOString()).toBe("2026-03-02T16:00:00.000Z");
  });

  test("start of a named date; bad dates rejected", () => {
    expect(startOfDate("2026-12-31", "Asia/Shanghai").toISOString()).toBe("2026-12-30T16:00:00.000Z");
    expect(() => startOfDate("31/12/2026", "Asia/Shanghai")).toThrow(RangeError);
  });

  test("DST zone round-trips wall time", () => {
    expect(startOfDate("2026-03-29", "Europe/London").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(startOfDate("2026-07-01", "Europe/London").toISOString()).toBe("2026-06-30T23:00:00.000Z");
  });
});
