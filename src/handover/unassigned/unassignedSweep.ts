import type { HandoverDeps } from "../deps";
import type { Reassignments } from "../reassignments";

/**
 * Staff removed from WeCom outside our resignation flow still own parents
 * (WeCom lists them as unassigned) and possibly groups. Each such leaver
 * without a plan gets one and runs the same lifecycle. Leavers known to the
 * directory as left are swept too: a leaver may own groups but no parents.
 */
export async function sweepUnassigned(deps: HandoverDeps, reassignments: Reassignments): Promise<string[]> {
  const byLeaver = new Map<string, Set<string>>();
  for await (const page of deps.client.customerTransfer.unassignedPages(1000)) {
    for (const info of page.info) {
      const set = byLeaver.get(info.handover_userid) ?? new Set<string>();
      set.add(info.external_userid);
      byLeaver.set(info.handover_userid, set);
    }
  }
  const leftInDirectory: { userid: string }[] = await deps.dataSource.query(
    `SELECT userid FROM staff s WHERE s.status = 5 AND NOT EXISTS (SELECT 1 FROM reassignment_plan p WHERE p.leaver_userid = s.userid)`,
  );
  for (const { userid } of leftInDirectory) if (!byLeaver.has(userid)) byLeaver.set(userid, new Set());
  const planned: { leaver_userid: string }[] = await deps.dataSource.query(
    `SELECT leaver_userid FROM reassignment_plan WHERE leaver_userid = ANY($1)`,
    [[...byLeaver.keys()]],
  );
  const inFlow = new Set(planned.map((p) => p.leaver_userid));
  const started: string[] = [];
  for (const [leaver, parents] of byLeaver) {
    if (inFlow.has(leaver)) continue;
    try {
      await reassignments.startResignedReassignment(leaver, { origin: "unassigned_sweep", parentIds: [...parents].sort() });
      started.push(leaver);
    } catch (err) {
      // One leaver's trouble (e.g. a WeCom error listing their groups) must not stop the others.
      deps.logger.error({ err, leaver }, "unassigned sweep could not start a reassignment");
    }
  }
  return started;
}
