import { randomBytes } from "node:crypto";
import type { Clock } from "../../platform/clock";

interface CodeEntry<T> {
  value: T;
  expiresAt: number;
}

/** Codes WeCom issues for a single use within a lifetime: login codes, card response codes. */
export class OneTimeCodes<T> {
  private readonly codes = new Map<string, CodeEntry<T>>();
  /** Every code ever issued, spent or not, when asked for: tells "never issued here" from "spent or expired". */
  private readonly everIssued: Set<string> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs: number,
    options: { rememberIssued?: boolean } = {},
  ) {
    this.everIssued = options.rememberIssued ? new Set() : undefined;
  }

  issue(value: T): string {
    const code = randomBytes(24).toString("base64url");
    this.codes.set(code, { value, expiresAt: this.clock.now().getTime() + this.lifetimeMs });
    this.everIssued?.add(code);
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

  /** Whether this store ever issued the code (only with `rememberIssued`; otherwise always false). */
  issuedHere(code: string): boolean {
    return this.everIssued?.has(code) ?? false;
  }
}
