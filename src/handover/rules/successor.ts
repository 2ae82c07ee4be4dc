import { qualifiedSubjects } from "../../org";
import { compareIds, Handoverable, ReassignmentContext, Teacher } from "./roster";

export type SuccessorReason = "hr_choice" | "class_co_teacher" | "qualified_least_loaded" | "same_subject_least_loaded" | "campus_head";

export type SuccessorChoice =
  | { successorUserId: string; reason: SuccessorReason; hrChoiceRejected?: string }
  | { successorUserId: null; reason: "no_candidate"; hrChoiceRejected?: string };

const ROLE_RANK = { head_teacher: 0, subject_teacher: 1, assistant: 2 } as const;

function eligible(t: Teacher | undefined, ctx: Pick<ReassignmentContext, "leaver">): t is Teacher {
  return t !== undefined && t.status === "active" && t.refusal === undefined && t.userId !== ctx.leaver.userId;
}

function loadOf(t: Teacher, ctx: ReassignmentContext): number {
  return ctx.load?.[t.userId] ?? t.parentCount;
}

const sharesSubject = (t: Teacher, leaver: Teacher) => t.subjects.some((s) => leaver.subjects.includes(s));

/** Holds a 教师资格证 for one of the leaver's subjects (seed 001: parents expect a certified teacher of the subject). */
export const qualifiedFor = (t: Teacher, leaver: Teacher) => qualifiedSubjects(t.certificateSubjects ?? [], leaver.subjects).length > 0;

/**
 * The leaver's subjects for which no eligible teacher on the roster holds a certificate: the plan says
 * "无同学科持证教师" for them, so HR knows the successor chosen is not certified for the subject.
 */
export function subjectsWithoutQualifiedTeacher(ctx: Pick<ReassignmentContext, "leaver" | "roster">): string[] {
  const candidates = ctx.roster.filter((t) => eligible(t, ctx));
  return ctx.leaver.subjects.filter((s) => !candidates.some((t) => qualifiedSubjects(t.certificateSubjects ?? [], [s]).length > 0));
}

/**
 * Who inherits one parent: HR's explicit choice, else a co-teacher of the
 * child's class (the head teacher first — the parent already knows them; among
 * equals one who teaches, then one certified for, the leaver's subject), else
 * the least-loaded same-campus teacher certified for the leaver's subject, else
 * the least-loaded one teaching it, else the campus head. Ties break on userId
 * so the same input always gives the same plan.
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
        Number(qualifiedFor(b.t, ctx.leaver)) - Number(qualifiedFor(a.t, ctx.leaver)) ||
        loadOf(a.t, ctx) - loadOf(b.t, ctx) ||
        compareIds(a.t.userId, b.t.userId),
    );
  if (coTeachers[0]) return { successorUserId: coTeachers[0].t.userId, reason: "class_co_teacher", ...note };

  const peers = ctx.roster
    .filter((t) => eligible(t, ctx) && t.campusId === ctx.leaver.campusId && (sharesSubject(t, ctx.leaver) || qualifiedFor(t, ctx.leaver)))
    .sort(
      (a, b) =>
        Number(qualifiedFor(b, ctx.leaver)) - Number(qualifiedFor(a, ctx.leaver)) ||
        loadOf(a, ctx) - loadOf(b, ctx) ||
        compareIds(a.userId, b.userId),
    );
  if (peers[0]) {
    const reason = qualifiedFor(peers[0], ctx.leaver) ? "qualified_least_loaded" : "same_subject_least_loaded";
    return { successorUserId: peers[0].userId, reason, ...note };
  }

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
