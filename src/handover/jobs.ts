import type { Job } from "../platform/jobs";
import type { HandoverDeps } from "./deps";
import { runTransferLifecycle } from "./lifecycle";
import type { Reassignments } from "./reassignments";
import { sweepUnassigned } from "./unassigned/unassignedSweep";

/** The schedules that drive reassignments; both are safe on several instances at once. */
export function handoverJobs(deps: HandoverDeps, reassignments: Reassignments): Job[] {
  return [
    { name: "handover-transfer-lifecycle", cron: "*/2 * * * *", run: async () => void (await runTransferLifecycle(deps)) },
    { name: "handover-unassigned-sweep", cron: "23 * * * *", run: async () => void (await sweepUnassigned(deps, reassignments)) },
  ];
}
