import { randomBytes } from "node:crypto";
import type { Clock } from "../../platform/clock";

interface CodeEntry<T> {
  value: T;
  expiresAt: number;
}

/** Codes WeCom issues for a single use within a lifetime: login codes, card response codes. */
export class OneTimeCodes<T> {
  private readonly codes = new Map<string, CodeEntry<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs: number,
  ) {}

  issue(value: T): string {
    const code = randomBytes(24).toString("base64url");
    this.codes.set(code, { value, expiresAt: this.clock.now().getTime() + this.lifetimeMs });
    return code;
  }

  /** The code's value if it is known, unused and unexpired; the code is spent either way. */
  consume(code: string | undefined): T | undefined {
    if (!code) return undefined;
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresAt <= this.clock.now().getTime()) return undefined;
    return entry.value;
  }
}
