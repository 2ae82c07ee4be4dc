/** One measured variant: named figures (e.g. "req/s", "p99 ms", "msg/s"), printed in order. */
export interface BenchRow {
  variant: string;
  values: Record<string, number>;
  note?: string;
}

export interface BenchCheck {
  name: string;
  ok: boolean;
  detail: string;
  /**
   * Both kinds fail `npm run bench` (exit status 1) when not ok: a correctness
   * check (nothing lost, nothing doubled) and a performance target (a ratio
   * against a baseline measured in the same run, or a query plan). The kind
   * only labels the line (FAIL / MISS).
   */
  kind: "correctness" | "target";
}

export interface BenchReport {
  rows: BenchRow[];
  checks: BenchCheck[];
  notes?: string[];
}

export interface Bench {
  name: string;
  run(): Promise<BenchReport>;
}
