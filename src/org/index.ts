/**
 * The directory and the access model: staff, departments, branches, actors, policies (can + scope),
 * the access log.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { recordAccess } from "./accessLog";
export type { AccessRecord } from "./accessLog";
export { createOrg } from "./module";
export { displayNames } from "./directory/displayNames";
export { branchHr, responsibleHr } from "./directory/responsibleHr";
export { staffByName, staffLabels } from "./directory/staffByName";
export { StaffDirectory } from "./directory/staffDirectory";
export type { StaffRecord } from "./directory/staffDirectory";
export type { StaffRenames } from "./directory/staffRenames";
export { StaffStatus } from "./directory/staffStatus";
export { teacherTitle } from "./directory/teacherTitle";
export { systemActor } from "./policies/actor";
export type { Actor } from "./policies/actor";
export { authorize, can, scope } from "./policies/authorize";
export { authorizeBranch, loadBranch, loadCompanySettings } from "./policies/branchAccess";
export type { Action, Resource } from "./policies/resources";
export { nothing } from "./policies/scope";
export type { Scope } from "./policies/scope";
export { scopeSql } from "./policies/scopeSql";
export { loadAuthorizedStaff } from "./policies/staffAccess";
export { certificateSubjects, qualificationById, qualificationsDueBetween } from "./qualifications/qualificationStore";
export type { QualificationRecord } from "./qualifications/qualificationStore";
export { dueActionLabel, qualifiedSubjects, reminderDueToday, REMINDER_DAYS } from "./qualifications/qualificationRules";
