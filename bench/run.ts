import "reflect-metadata";
import type { Bench, BenchReport } from "./benchTypes";
import { alertLatencyBenchEntry } from "./alertLatency";
import { archiveIngestBench } from "./archiveIngest";
import { archiveSearchBench } from "./archiveSearch";
import { callbackIngressBench } from "./callbackIngress";
import { inboxKeepsUpBench } from "./inboxKeepsUp";
import { reminderSweepBench } from "./reminderSweep";

/** Every bench `npm run bench` runs, in order (`npm run bench -- <name part>` runs a subset). Add new ones here. */
const benches: Bench[] = [callbackIngressBench, archiveIngestBench, alertLatencyBenchEntry, reminderSweepBench, inboxKeepsUpBench, archiveSearchBench];

function print(name: string, report: BenchReport): void {
  console.log(`\n== ${name}`);
  for (const r of report.rows) {
    const values = Object.entries(r.values).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(2)}`);
    console.log(`  ${r.variant.padEnd(44)} ${values.join("  ")}${r.note ? `  (${r.note})` : ""}`);
  }
  for (const c of report.checks) console.log(`  [${c.ok ? "ok" : c.kind === "target" ? "MISS" : "FAIL"}] ${c.name}: ${c.detail}`);
  for (const n of report.notes ?? []) console.log(`  - ${n}`);
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
