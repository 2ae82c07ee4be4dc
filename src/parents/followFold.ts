import type { FollowInfo } from "./externalContactTypes";

export type FollowStatus = "active" | "deleted_by_staff" | "deleted_by_parent" | "transferred_away";

/** A follow_relation row as the mirror keeps it. */
export interface FollowRow {
  staffUserid: string;
  externalUserid: string;
  remark: string | null;
  description: string | null;
  tags: { group?: string; name?: string; id?: string }[];
  addTime: Date | null;
  addWay: number | null;
  operUserid: string | null;
  state: string | null;
  status: FollowStatus;
  lastEventAt: Date;
  updatedAt: Date;
}

/** What one WeCom event does to one relation: its follow info read from WeCom (add/edit), or a new status (deletes). */
export type FollowStep = { kind: "follow"; follow: FollowInfo; eventAt: Date } | { kind: "status"; status: Exclude<FollowStatus, "active">; eventAt: Date };

/**
 * One event applied to a relation (absent: never seen). Every write carries
 * the WeCom time of its event and an older event never overwrites a newer one
 * (equal times: the later arrival wins), so late or out-of-order callbacks (an
 * "add" retried after a "delete") cannot resurrect a relation; a delete of a
 * relation never seen still records that it existed and ended. Returns the
 * row unchanged (the same object) when the event is older than it.
 */
export function applyFollowStep(row: FollowRow | undefined, key: { staffUserid: string; externalUserid: string }, step: FollowStep, now: Date): FollowRow {
  if (row && row.lastEventAt.getTime() > step.eventAt.getTime()) return row;
  const base: FollowRow = row ?? {
    ...key,
    remark: null,
    description: null,
    tags: [],
    addTime: null,
    addWay: null,
    operUserid: null,
    state: null,
    status: "active",
    lastEventAt: step.eventAt,
    updatedAt: now,
  };
  if (step.kind === "status") return { ...base, status: step.status, lastEventAt: step.eventAt, updatedAt: now };
  const f = step.follow;
  return {
    ...base,
    remark: f.remark ?? null,
    description: f.description ?? null,
    tags: (f.tags ?? []).map((t) => ({ group: t.group_name, name: t.tag_name, id: t.tag_id })),
    // WeCom's createtime is when the relation began: a read without it keeps the one we have.
    addTime: f.createtime ? new Date(f.createtime * 1000) : base.addTime,
    addWay: f.add_way ?? null,
    operUserid: f.oper_userid ?? null,
    state: f.state ?? null,
    status: "active",
    lastEventAt: step.eventAt,
    updatedAt: now,
  };
}

/** Steps applied in arrival order: what the relation is after all of them (undefined only when there were none and no row). */
export function foldFollowSteps(row: FollowRow | undefined, key: { staffUserid: string; externalUserid: string }, steps: FollowStep[], now: Date): FollowRow | undefined {
  return steps.reduce<FollowRow | undefined>((r, s) => applyFollowStep(r, key, s, now), row);
}
