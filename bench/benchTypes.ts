export interface BenchRow {
  variant: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
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
}

export interface Bench {
  name: string;
  run(): Promise<BenchReport>;
}
