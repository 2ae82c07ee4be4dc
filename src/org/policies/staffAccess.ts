import type { EntityManager } from "typeorm";
import { NotFoundError } from "../../platform/errors";
import { StaffDirectory } from "../directory/staffDirectory";
import type { Actor } from "./actor";
import { authorize } from "./authorize";
import type { Action } from "./resources";

/** A staff member as the policy sees them, once the caller is authorized for the action on exactly them. */
export interface AuthorizedStaff {
  userid: string;
  departmentPaths: number[][];
}

/** The load-and-authorize step of routes that act on one staff member (a leaver's plan, their terms). */
export async function loadAuthorizedStaff(manager: EntityManager, actor: Actor, action: Action, userid: string): Promise<AuthorizedStaff> {
  const directory = new StaffDirectory(manager);
  if (!(await directory.find(userid))) throw new NotFoundError("员工不存在");
  const departmentPaths = await directory.departmentPaths(userid);
  authorize(actor, action, { kind: "staff", userid, departmentPaths });
  return { userid, departmentPaths };
}
