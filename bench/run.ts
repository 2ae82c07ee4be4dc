import "reflect-metadata";
import type { Bench, BenchReport } from "./benchTypes";
import { callbackIngressBench } from "./callbackIngress";

/** Every bench `npm run bench` runs, in order. Add new ones here. */
const benches: Bench[] = [callbackIngressBench];

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number, digits = 0) => n.toFixed(digits).padStart(9);

function print(name: string, report: BenchReport): void {
  console.log(`\n== ${name}`);
  console.log(`${pad("variant", 40)} ${"req/s".padStart(9)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)}  note`);
  for (const r of report.rows) {
    console.log(`${pad(r.variant, 40)} ${num(r.requestsPerSecond)} ${num(r.p50Ms, 1)} ${num(r.p99Ms, 1)}  ${r.note ?? ""}`);
  }
  for (const c of report.checks) console.log(`  [${c.ok ? "ok" : c.kind === "target" ? "MISS" : "FAIL"}] ${c.name}: ${c.detail}`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  let failed = false;
  for (const bench of benches.filter((b) => !only || b.name.includes(only))) {
    const report = await bench.run();
    print(bench.name, report);
    failed ||= report.checks.some((c) => c.kind === "correctness" && !c.ok);
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
