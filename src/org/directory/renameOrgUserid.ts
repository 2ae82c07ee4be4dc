import type { EntityManager } from "typeorm";
import { replaceUserid, replaceUseridInArray } from "../../platform/db/replaceUserid";

/** The directory's own rows that name a member: role grants, department leaders, qualifications (staff itself: renameStaff). */
export async function renameOrgUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  await replaceUserid(manager, "role_grant", "userid", from, to, ["role", "department_id"]);
  await replaceUseridInArray(manager, "department", "leader_userids", from, to);
  // A certificate is unique by name and number, not by holder: the rows simply move to the new userid.
  await replaceUserid(manager, "teacher_qualification", "staff_userid", from, to);
  await replaceUserid(manager, "teacher_qualification_change", "staff_userid", from, to);
}
