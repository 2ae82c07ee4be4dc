import { AuthorizationError } from "../../platform/errors";
import type { Actor, Role } from "./actor";
import type { Action, Resource } from "./resources";

/**
 * Every access rule in one place. HQ sees everything; HR and campus heads see
 * only their subtree; an employee sees only their own records; a successor
 * sees only the threads of parents handed to them; nobody reads an archive
 * by being its subject.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (holds(actor, "hq_admin")) return true;
  switch (resource.kind) {
    case "roles":
      return false;
    case "branch":
      return action === "read"
        ? coversAny(actor, ["hr", "campus_head"], [resource.departmentPath])
        : coversAny(actor, ["hr"], [resource.departmentPath]);
    case "staff":
      if (resource.userid === actor.userid && action === "read") return true;
      // IT runs accounts and devices company-wide; HR acts within its subtree.
      if (action === "freeze") return holds(actor, "it") || coversAny(actor, ["hr"], resource.departmentPaths);
      return action === "read"
        ? coversAny(actor, ["hr", "campus_head"], resource.departmentPaths) || holds(actor, "it")
        : coversAny(actor, ["hr"], resource.departmentPaths);
    case "case":
      if (resource.employeeUserid === actor.userid) return action === "read" || action === "update";
      if (action === "approve") return resource.approverUserids.includes(actor.userid);
      if (action === "read" && (resource.approverUserids.includes(actor.userid) || resource.receiverUserids?.includes(actor.userid))) {
        return true;
      }
      if (action === "read") return coversAny(actor, ["hr", "campus_head"], resource.departmentPaths);
      return coversAny(actor, ["hr"], resource.departmentPaths);
    case "conversation":
      if (action === "read" || action === "export") {
        if (coversAny(actor, ["hr"], resource.departmentPaths)) return true;
        if (action === "read" && coversAny(actor, ["campus_head"], resource.departmentPaths)) return true;
        return successorMayRead(actor, resource);
      }
      return false;
    case "alert":
      if (action === "freeze") return coversAny(actor, ["hr"], resource.departmentPaths) || holds(actor, "it");
      // Campus heads read alerts; only HR of the subtree changes or dismisses them.
      if (action === "read") return coversAny(actor, ["hr", "campus_head"], resource.departmentPaths);
      return coversAny(actor, ["hr"], resource.departmentPaths);
  }
}

export function authorize(actor: Actor, action: Action, resource: Resource): void {
  if (!can(actor, action, resource)) throw new AuthorizationError();
}

function holds(actor: Actor, role: Role): boolean {
  return actor.grants.some((g) => g.role === role);
}

/** True when one of the actor's grants of these roles covers a department on one of the paths. */
function coversAny(actor: Actor, roleSet: Role[], departmentPaths: number[][]): boolean {
  return actor.grants.some(
    (g) =>
      roleSet.includes(g.role) &&
      g.departmentId !== null &&
      departmentPaths.some((path) => path.includes(g.departmentId as number)),
  );
}

/** 记录继承: a successor reads the predecessor's threads with the parents handed to them, and only those. */
function successorMayRead(actor: Actor, resource: Extract<Resource, { kind: "conversation" }>): boolean {
  const handed = resource.inheritedBy.find((i) => i.successorUserid === actor.userid);
  if (!handed) return false;
  return resource.externalUserId !== undefined && handed.externalUserIds.includes(resource.externalUserId);
}
