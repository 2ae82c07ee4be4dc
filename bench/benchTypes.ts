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
  /** A correctness check fails the run; a performance target only reports. */
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
