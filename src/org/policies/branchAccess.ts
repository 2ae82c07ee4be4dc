import type { EntityManager } from "typeorm";
import { StaffDirectory } from "../directory/staffDirectory";
import { NotFoundError } from "../../platform/errors";
import type { Actor } from "./actor";
import { authorize } from "./authorize";
import type { Action } from "./resources";

/** Branch settings: HR and campus heads of the subtree read them, its HR changes them (HQ everywhere). */
export async function authorizeBranch(manager: EntityManager, actor: Actor, action: Action, branchId: number): Promise<void> {
  const path = await new StaffDirectory(manager).departmentPath(branchId);
  if (!path) throw new NotFoundError("部门不存在");
  authorize(actor, action, { kind: "branch", departmentPath: path });
}
