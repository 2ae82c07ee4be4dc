import type { StaffRiskState } from "../rules/riskDetector";

/** How many staff members' states one process keeps (a few KB each); the least recently used go first. */
const DEFAULT_CAPACITY = 10_000;

/**
 * This process's copy of risk states, each with the version of the row it
 * was read from or written as (issue 20: reading every state of every batch
 * back from PostgreSQL was on the path of every alert). It is only a guess:
 * a batch locks the rows, compares their versions with these, and reads the
 * state of every row that differs — another instance wrote it, or the write
 * that made this copy rolled back (versions are never reused, so such a copy
 * never matches again).
 */
export class RiskStateCache {
  private readonly entries = new Map<string, { version: string; state: StaffRiskState }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The state when this copy is of exactly `version`. */
  get(staffUserId: string, version: string): StaffRiskState | undefined {
    const entry = this.entries.get(staffUserId);
    if (!entry || entry.version !== version) return undefined;
    // Re-inserted: Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(staffUserId);
    this.entries.set(staffUserId, entry);
    return entry.state;
  }

  set(staffUserId: string, version: string, state: StaffRiskState): void {
    this.entries.delete(staffUserId);
    this.entries.set(staffUserId, { version, state });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
