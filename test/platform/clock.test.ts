import { TestClock, systemClock } from "../../src/platform/clock";

describe("clock", () => {
  it("test clock moves only when told", () => {
    const clock = new TestClock("2026-01-05T00:00:00Z");
    expect(clock.now().toISOString()).toBe("2026-01-05T00:00:00.000Z");
    clock.advanceHours(24);
    expect(clock.now().toISOString()).toBe("2026-01-06T00:00:00.000Z");
    clock.advanceDays(30);
    expect(clock.now().toISOString()).toBe("2026-02-05T00:00:00.000Z");
  });

  it("system clock follows real time", () => {
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
