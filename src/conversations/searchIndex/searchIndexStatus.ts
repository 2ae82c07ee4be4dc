import type { DataSource } from "typeorm";
import { pendingSearchIndex } from "./backfillSearchIndex";

export interface SearchIndexState {
  /** Messages not yet searchable under the active key (back-fill or re-index after rotation still running). */
  pending: number;
  /** All archived messages (planner estimate: exact enough for a percentage, free to read). */
  total: number;
}

/**
 * How complete the index is, for the console and search answers. Counting
 * is cheap but not free on millions of rows, so the figure is reused for a
 * few seconds; the back-fill also pushes fresh figures as it goes.
 */
export class SearchIndexStatus {
  private cached: { at: number; state: SearchIndexState } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly activeKeyId: string,
    private readonly maxAgeMs = 10_000,
  ) {}

  async state(): Promise<SearchIndexState> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.maxAgeMs) return this.cached.state;
    const pending = await pendingSearchIndex(this.dataSource, this.activeKeyId);
    const [row] = await this.dataSource.query(
      `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'archive_message'::regclass`,
    );
    const state = { pending, total: Math.max(Number(row.n), pending) };
    this.cached = { at: now, state };
    return state;
  }

  /** The back-fill reports as it goes, so the console shows progress without counting again. */
  report(pending: number): void {
    const total = this.cached?.state.total ?? pending;
    this.cached = { at: Date.now(), state: { pending, total: Math.max(total, pending) } };
  }
}
