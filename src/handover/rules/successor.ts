import { compareIds, Handoverable, ReassignmentContext, Teacher } from "./roster";

export type SuccessorReason = "hr_choice" | "class_co_teacher" | "same_subject_least_loaded" | "campus_head";

export type SuccessorChoice =
  | { successorUserId: string; reason: SuccessorReason; hrChoiceRejected?: string }
  | { successorUserId: null; reason: "no_candidate"; hrChoiceRejected?: string };

const ROLE_RANK = { head_teacher: 0, subject_teacher: 1, assistant: 2 } as const;

function eligible(t: Teacher | undefined, ctx: ReassignmentContext): t is Teacher {
  return t !== undefined && t.status === "active" && t.refusal === undefined && t.userId !== ctx.leaver.userId;
}

function loadOf(t: Teacher, ctx: ReassignmentContext): number {
  return ctx.load?.[t.userId] ?? t.parentCount;
}

const sharesSubject = (t: Teacher, leaver: Teacher) => t.subjects.some((s) => leaver.subjects.includes(s));

/**
 * Who inherits one parent: HR's explicit choice, else a co-teacher of the
 * child's class (the head teacher first — the parent already knows them), else
 * the least-loaded same-campus teacher of the leaver's subject, else the campus
 * head. Ties break on userId so the same input always gives the same plan.
 */
export function chooseSuccessor(item: Handoverable, ctx: ReassignmentContext): SuccessorChoice {
  const byId = new Map(ctx.roster.map((t) => [t.userId, t]));
  const hrPick = ctx.hrChoices?.[item.id];
  let hrChoiceRejected: string | undefined;
  if (hrPick !== undefined) {
    if (eligible(byId.get(hrPick), ctx)) return { successorUserId: hrPick, reason: "hr_choice" };
    hrChoiceRejected = hrPick;
  }
  const note = hrChoiceRejected ? { hrChoiceRejected } : {};

  const coTeachers = ctx.roster
    .filter((t) => eligible(t, ctx))
    .flatMap((t) => t.classes.filter((c) => item.classIds.includes(c.classId)).map((c) => ({ t, rank: ROLE_RANK[c.role] })))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        Number(sharesSubject(b.t, ctx.leaver)) - Number(sharesSubject(a.t, ctx.leaver)) ||
        loadOf(a.t, ctx) - loadOf(b.t, ctx) ||
        compareIds(a.t.userId, b.t.userId),
    );
  if (coTeachers[0]) return { successorUserId: coTeachers[0].t.userId, reason: "class_co_teacher", ...note };

  const peers = ctx.roster
    .filter((t) => eligible(t, ctx) && t.campusId === ctx.leaver.campusId && sharesSubject(t, ctx.leaver))
    .sort((a, b) => loadOf(a, ctx) - loadOf(b, ctx) || compareIds(a.userId, b.userId));
  if (peers[0]) return { successorUserId: peers[0].userId, reason: "same_subject_least_loaded", ...note };

  const head = ctx.campusHeads[ctx.leaver.campusId];
  if (head !== undefined && eligible(byId.get(head), ctx)) return { successorUserId: head, reason: "campus_head", ...note };

  return { successorUserId: null, reason: "no_candidate", ...note };
}

export type SuccessorRefusal = "is_leaver" | "not_on_roster" | "left" | "leaving";

/**
 * Why HR's pick cannot inherit (undefined when it can): the same test
 * chooseSuccessor applies, named, so a refused pick is answered instead of
 * silently replaced. The roster holds the leaver's campus and the teachers of
 * the parents' classes; anyone else is "not on the roster" (another campus).
 */
export function successorRefusal(pickUserId: string, ctx: Pick<ReassignmentContext, "leaver" | "roster">): SuccessorRefusal | undefined {
  if (pickUserId === ctx.leaver.userId) return "is_leaver";
  const t = ctx.roster.find((r) => r.userId === pickUserId);
  if (!t) return "not_on_roster";
  if (t.status === "left") return "left";
  if (t.status === "leaving") return "leaving";
  return undefined;
}

/** The refusal as HR reads it. */
export function successorRefusalText(refusal: SuccessorRefusal, pickName: string, leaverName: string): string {
  switch (refusal) {
    case "is_leaver":
      return `${pickName}是离职员工本人，不能接替自己的家长`;
    case "not_on_roster":
      return `${pickName}不在${leaverName}所在校区，也不教这些家长孩子的班级，不能接替`;
    case "left":
      return `${pickName}已离职，不能接替`;
    case "leaving":
      return `${pickName}正在办理离职，不能接替（否则家长还要再转一次）`;
  }
}
