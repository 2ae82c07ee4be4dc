import type { EntityManager } from "typeorm";
import { replaceUserid } from "../platform/db/replaceUserid";

/** A member's userid changed: their parents (follow relations) and classes follow them. */
export async function renameParentsStaffUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  await replaceUserid(manager, "follow_relation", "staff_userid", from, to, ["external_userid"]);
  await replaceUserid(manager, "class_teacher", "staff_userid", from, to, ["class_code"]);
}
