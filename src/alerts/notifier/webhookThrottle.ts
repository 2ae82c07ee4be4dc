import type { Clock } from "../../platform/clock";

const WINDOW_MS = 60_000;

/**
 * Per-robot sliding window (WeCom allows 20 webhook messages a minute per
 * robot). Business time comes from the clock so a backlog's schedule is
 * testable; a 45009 from WeCom (someone else used the robot) closes the
 * window for a minute.
 */
export class WebhookThrottle {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly perMinute = 20,
  ) {}

  available(key: string): number {
    return Math.max(0, this.perMinute - this.recent(key).length);
  }

  record(key: string): void {
    this.sent.set(key, [...this.recent(key), this.clock.now().getTime()]);
  }

  /** WeCom said 45009: treat the window as full from now. */
  exhausted(key: string): void {
    const now = this.clock.now().getTime();
    this.sent.set(key, Array.from({ length: this.perMinute }, () => now));
  }

  /** When the next message may go. */
  nextSlot(key: string): Date {
    const recent = this.recent(key);
    const now = this.clock.now().getTime();
    if (recent.length < this.perMinute) return new Date(now);
    return new Date(recent[recent.length - this.perMinute]! + WINDOW_MS);
  }

  private recent(key: string): number[] {
    const now = this.clock.now().getTime();
    const list = (this.sent.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    this.sent.set(key, list);
    return list;
  }
}
