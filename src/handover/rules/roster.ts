/** The people and relationships successor choice works from (a snapshot, passed in). */
export type ClassRole = "head_teacher" | "subject_teacher" | "assistant";

export interface Teacher {
  userId: string;
  campusId: string;
  subjects: string[];
  classes: { classId: string; role: ClassRole }[];
  /** Leaving or left members never inherit parents: they would have to be transferred again. */
  status: "active" | "leaving" | "left";
  /** Parents the teacher already follows. */
  parentCount: number;
  /** Why WeCom would not let this teacher take parents over (successorEligibility.ts); absent = eligible. */
  refusal?: string;
  /** The subjects the teacher holds a 教师资格证 for (org's qualification records); absent = none recorded. */
  certificateSubjects?: string[];
}

/** A parent (or a group chat) to hand over, with the classes that tie it to the leaver. */
export interface Handoverable {
  id: string;
  classIds: string[];
}

export interface ReassignmentContext {
  leaver: Teacher;
  roster: Teacher[];
  /** HR's explicit picks, by parent external_userid or group chat_id. */
  hrChoices?: Record<string, string>;
  campusHeads: Record<string, string>;
  /** Current load per teacher when it differs from roster parentCount (planning updates it). */
  load?: Record<string, number>;
}

/** Code-unit order: unlike localeCompare it is the same on every server locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
