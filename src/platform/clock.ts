/**
 * Time is injected: a 24-hour reminder or a 30-day notice period must be
 * testable without waiting, so nothing outside this file reads Date.now().
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-03-02T09:00:00+08:00") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  advanceHours(hours: number): Date {
    return this.advance(hours * 3_600_000);
  }

  advanceDays(days: number): Date {
    return this.advance(days * 86_400_000);
  }
}
