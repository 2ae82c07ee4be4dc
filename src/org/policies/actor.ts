export const roles = ["hq_admin", "hr", "campus_head", "it", "employee"] as const;
export type Role = (typeof roles)[number];

/** One role held by a person, scoped to a branch subtree (null = whole company, for hq_admin). */
export interface RoleScope {
  role: Role;
  departmentId: number | null;
}

/** Who is acting. The system actor is the service itself (schedules, operator token). */
export interface Actor {
  userid: string;
  /** For display only; policies never look at it. */
  name?: string;
  grants: RoleScope[];
  system?: boolean;
}

export const systemActor: Actor = { userid: "system", grants: [{ role: "hq_admin", departmentId: null }], system: true };
