import type { EntityManager } from "typeorm";
import { planReassignment } from "../rules/reassignmentPlan";
import { activeParents } from "./leaverParents";
import { loadRosterSnapshot } from "./rosterSnapshot";

/**
 * Who each of a leaver's parents goes to (null: nobody eligible, HR decides). Once a plan exists it is
 * the answer, HR's changes included; before that, the plan's own rule (rules/successor.ts) applied to the
 * leaver's parents now. There is one successor rule, so the checklist the leaver signs and the plan HR
 * confirms cannot name different successors.
 */
export async function successorPreview(manager: EntityManager, leaverUserid: string, now: Date): Promise<Map<string, string | null>> {
  const planned: { item_id: string; successor_userid: string | null }[] = await manager.query(
    `SELECT item_id, successor_userid FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'parent'`,
    [leaverUserid],
  );
  if (planned.length > 0) return new Map(planned.map((p) => [p.item_id, p.successor_userid]));
  const parentIds = await activeParents(manager, leaverUserid);
  if (parentIds.length === 0) return new Map();
  const snapshot = await loadRosterSnapshot(manager, leaverUserid, parentIds, now);
  const plan = planReassignment(snapshot.leaver, snapshot.parents, [], { roster: snapshot.roster, campusHeads: snapshot.campusHeads });
  return new Map<string, string | null>([
    ...plan.parents.map((a): [string, string | null] => [a.id, a.successorUserId]),
    ...plan.unassignedParents.map((id): [string, string | null] => [id, null]),
  ]);
}
