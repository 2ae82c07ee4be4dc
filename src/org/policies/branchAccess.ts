import type { EntityManager } from "typeorm";
import { StaffDirectory } from "../directory/staffDirectory";
import { AuthorizationError, NotFoundError } from "../../platform/errors";
import type { Actor } from "./actor";
import { authorize, can } from "./authorize";
import type { Action } from "./resources";

/** Branch settings: HR and campus heads of the subtree read them, its HR changes them (HQ everywhere). */
export async function authorizeBranch(manager: EntityManager, actor: Actor, action: Action, branchId: number): Promise<void> {
  const path = await new StaffDirectory(manager).departmentPath(branchId);
  if (!path) throw new NotFoundError("部门不存在");
  authorize(actor, action, { kind: "branch", departmentPath: path });
}

/** The route chain's load step for `/:branchId` settings routes: the branch, authorized for the action. */
export function loadBranch(action: "read" | "update") {
  return async ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { branchId: number } }): Promise<{ branchId: number }> => {
    await authorizeBranch(manager, actor, action, params.branchId);
    return { branchId: params.branchId };
  };
}

/**
 * The route chain's load step for company-wide settings (calendar years, the written-notice deadline).
 * `refusal` says who may, where a page shows the refusal to a person.
 */
export function loadCompanySettings(action: "read" | "update", refusal?: string) {
  return async ({ actor }: { actor: Actor }): Promise<void> => {
    if (refusal && !can(actor, action, { kind: "company_settings" })) throw new AuthorizationError(refusal);
    authorize(actor, action, { kind: "company_settings" });
  };
}
