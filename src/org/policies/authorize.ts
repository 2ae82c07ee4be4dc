import { AuthorizationError } from "../../platform/errors";
import type { Actor } from "./actor";
import { policies } from "./kindPolicies";
import type { Action, Resource } from "./resources";
import type { Scope } from "./scope";

/**
 * The one access model: each resource kind has one policy (kindPolicies.ts)
 * answering can() for one resource and scope() for lists. HQ sees
 * everything; HR and campus heads see their subtree; an employee sees only
 * their own records; a successor sees only the threads of parents handed to
 * them; nobody reads an archive by being its subject.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  const policy = policies[resource.kind] as { can(actor: Actor, action: Action, resource: Resource): boolean };
  return policy.can(actor, action, resource);
}

export function authorize(actor: Actor, action: Action, resource: Resource): void {
  if (!can(actor, action, resource)) throw new AuthorizationError();
}

/** What a list of this kind may show the actor for this action: the predicate every list, dashboard count and search filters by. */
export function scope(actor: Actor, action: Action, kind: Resource["kind"]): Scope {
  return policies[kind].scope(actor, action);
}
