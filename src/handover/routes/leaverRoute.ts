import type { EntityManager } from "typeorm";
import type { Actor } from "../../org";
import { loadAuthorizedStaff } from "../../org";
import type { Guard } from "../../platform/http/guard";
import { leaverParams } from "./schema";

/**
 * The first steps every `/api/handover/reassignments/:leaver/…` route shares:
 * the URL names the leaver, and only HR over that leaver (or HQ) goes on —
 * the route then acts on the leaver it loaded, never one named in a body.
 */
export function leaverRoute(auth: Guard<Actor>) {
  return {
    auth,
    params: leaverParams,
    load: ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { leaver: string } }) =>
      loadAuthorizedStaff(manager, actor, "update", params.leaver),
  };
}
