import { chooseSuccessor, subjectsWithoutQualifiedTeacher, SuccessorReason } from "./successor";
import { compareIds, Handoverable, ReassignmentContext, Teacher } from "./roster";

export interface Assignment {
  id: string;
  successorUserId: string;
  reason: SuccessorReason;
  hrChoiceRejected?: string;
}

export interface ReassignmentPlan {
  parents: Assignment[];
  groups: Assignment[];
  /** Needs HR: nobody eligible (e.g. the campus head is the leaver). */
  unassignedParents: string[];
  unassignedGroups: string[];
  perSuccessor: Record<string, { parents: number; groups: number; loadAfter: number }>;
  /** The leaver's subjects no eligible teacher holds a 教师资格证 for ("无同学科持证教师"). */
  subjectsWithoutQualifiedTeacher: string[];
}

/**
 * Assigns every parent and group chat of a leaver. Load is updated as parents
 * are assigned, so "fewest parents" spreads a large handover across peers
 * instead of giving all 500 parents to whoever was lightest at the start.
 * Parents are taken in id order so the plan does not depend on input order.
 */
export function planReassignment(
  leaver: Teacher,
  parents: Handoverable[],
  groups: Handoverable[],
  ctx: Omit<ReassignmentContext, "leaver" | "load">,
): ReassignmentPlan {
  const load: Record<string, number> = Object.fromEntries(ctx.roster.map((t) => [t.userId, t.parentCount]));
  const plan: ReassignmentPlan = {
    parents: [],
    groups: [],
    unassignedParents: [],
    unassignedGroups: [],
    perSuccessor: {},
    subjectsWithoutQualifiedTeacher: subjectsWithoutQualifiedTeacher({ leaver, roster: ctx.roster }),
  };
  const tally = (userId: string) =>
    (plan.perSuccessor[userId] ??= { parents: 0, groups: 0, loadAfter: load[userId] ?? 0 });

  for (const parent of uniqueSorted(parents)) {
    const choice = chooseSuccessor(parent, { ...ctx, leaver, load });
    if (choice.successorUserId === null) {
      plan.unassignedParents.push(parent.id);
      continue;
    }
    load[choice.successorUserId] = (load[choice.successorUserId] ?? 0) + 1;
    plan.parents.push(toAssignment(parent.id, choice.successorUserId, choice.reason, choice.hrChoiceRejected));
    const t = tally(choice.successorUserId);
    t.parents++;
    t.loadAfter = load[choice.successorUserId]!;
  }
  for (const group of uniqueSorted(groups)) {
    const choice = chooseSuccessor(group, { ...ctx, leaver, load });
    if (choice.successorUserId === null) {
      plan.unassignedGroups.push(group.id);
      continue;
    }
    plan.groups.push(toAssignment(group.id, choice.successorUserId, choice.reason, choice.hrChoiceRejected));
    tally(choice.successorUserId).groups++;
  }
  return plan;
}

function toAssignment(id: string, successorUserId: string, reason: SuccessorReason, rejected?: string): Assignment {
  return { id, successorUserId, reason, ...(rejected ? { hrChoiceRejected: rejected } : {}) };
}

function uniqueSorted(items: Handoverable[]): Handoverable[] {
  const byId = new Map<string, Handoverable>();
  for (const i of items) if (!byId.has(i.id)) byId.set(i.id, i);
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}
