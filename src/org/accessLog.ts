import type { EntityManager } from "typeorm";
import type { Actor } from "./policies/actor";

export interface AccessRecord {
  actor: Actor;
  /** run: an operator started a job by hand (a sync now). */
  action: "read" | "export" | "search" | "run";
  resourceType: string;
  resourceId: string;
  detail?: Record<string, unknown>;
  at: Date;
}

/** Every read and export of conversations is itself recorded: who, what, when. */
export async function recordAccess(manager: EntityManager, record: AccessRecord): Promise<void> {
  await manager.query(
    `INSERT INTO access_log (actor_userid, action, resource_type, resource_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [record.actor.userid, record.action, record.resourceType, record.resourceId, JSON.stringify(record.detail ?? {}), record.at],
  );
}
