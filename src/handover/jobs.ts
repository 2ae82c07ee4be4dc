import type { Job } from "../platform/jobs";
import type { HandoverDeps } from "./deps";
import { runTransferLifecycle } from "./lifecycle";
import { refreshPlansAfterCertificates } from "./plan/certificateRefresh";
import type { Reassignments } from "./reassignments";
import { sweepUnassigned } from "./unassigned/unassignedSweep";

/** The schedules that drive reassignments; each is safe on several instances at once. */
export function handoverJobs(deps: HandoverDeps, reassignments: Reassignments): Job[] {
  return [
    { name: "handover-transfer-lifecycle", cron: "*/2 * * * *", run: async () => void (await runTransferLifecycle(deps)) },
    { name: "handover-unassigned-sweep", cron: "23 * * * *", run: async () => void (await sweepUnassigned(deps, reassignments)) },
    // A 教师资格证 stops counting the day after its 5-yearly registration date, with no write to announce it: once a
    // day, just after midnight China time, open plans are weighed again as if a certificate had changed. Idempotent:
    // a plan the day changes nothing for keeps its note.
    {
      name: "handover-certificate-lapses",
      cron: "5 0 * * *",
      run: async () => void (await deps.dataSource.transaction((m) => refreshPlansAfterCertificates(m, { staffUserids: [], now: deps.clock.now() }))),
    },
  ];
}
