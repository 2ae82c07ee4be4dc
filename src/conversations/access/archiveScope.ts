import type { Actor } from "../../org";
import { can } from "../../org";
import type { Action, Resource } from "../../org";

export type ConversationResource = Extract<Resource, { kind: "conversation" }>;

/** How much of one staff member's archive an actor may see. */
export type StaffArchiveScope = { kind: "whole" } | { kind: "inherited"; externalUserids: string[] };

/**
 * The policy decides; this only asks it the two questions a staff archive
 * raises: the whole archive (HR, campus heads for reading, HQ), or failing
 * that the threads of the parents handed to the actor (记录继承). Null means
 * nothing at all, including for the archive's own subject.
 */
export function staffArchiveScope(actor: Actor, action: Action, resource: ConversationResource): StaffArchiveScope | null {
  const { externalUserId: _ignored, ...wholeArchive } = resource;
  if (can(actor, action, wholeArchive)) return { kind: "whole" };
  const handed = resource.inheritedBy.find((i) => i.successorUserid === actor.userid)?.externalUserIds ?? [];
  const readable = handed.filter((externalUserId) => can(actor, action, { ...wholeArchive, externalUserId }));
  return readable.length > 0 ? { kind: "inherited", externalUserids: readable } : null;
}

/**
 * A group chat mixes several staff members' words: the actor must be allowed
 * the whole archive of every staff member who spoke in it. Handed-over parents
 * do not open groups (a successor inherits 1:1 threads only).
 */
export function mayAccessRoom(actor: Actor, action: Action, staffResources: ConversationResource[]): boolean {
  if (staffResources.length === 0) return can(actor, action, { kind: "conversation", staffUserid: "", departmentPaths: [], inheritedBy: [] });
  return staffResources.every((r) => staffArchiveScope(actor, action, r)?.kind === "whole");
}
