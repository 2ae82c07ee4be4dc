import type { EntityManager } from "typeorm";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import { planReassignment, type ReassignmentPlan } from "../rules/reassignmentPlan";
import { successorRefusal, successorRefusalText } from "../rules/successor";
import { loadRosterSnapshot, successorRefusalOf, type RosterSnapshot } from "./rosterSnapshot";
import { displayNames } from "../../org";
import { fromInstant } from "../../platform/localDate";

export type PlanOrigin = "case" | "hr" | "unassigned_sweep";
export type PlanState = "draft" | "confirmed" | "started";

export interface PlanScope {
  parentIds: string[];
  groupIds: string[];
}

export interface PlanRow {
  leaverUserid: string;
  caseId: string | null;
  origin: PlanOrigin;
  state: PlanState;
  onJobMessage: string | null;
  subjectsWithoutQualifiedTeacher: string[];
  /** What a certificate imported or edited later changed in this plan, after the day it did (certificateRefresh.ts); null: nothing. */
  certificateChangeNote: string | null;
}

export async function findPlan(manager: EntityManager, leaverUserid: string, lock = false): Promise<PlanRow | null> {
  const rows = await manager.query(
    `SELECT leaver_userid, case_id, origin, state, on_job_message, subjects_without_qualified_teacher, certificate_change_note, certificate_change_at FROM reassignment_plan WHERE leaver_userid = $1 ${lock ? "FOR UPDATE" : ""}`,
    [leaverUserid],
  );
  const r = rows[0];
  return r
    ? { leaverUserid: r.leaver_userid, caseId: r.case_id, origin: r.origin, state: r.state, onJobMessage: r.on_job_message, subjectsWithoutQualifiedTeacher: r.subjects_without_qualified_teacher ?? [], certificateChangeNote: r.certificate_change_note ? `${fromInstant(r.certificate_change_at)} ${r.certificate_change_note}` : null }
    : null;
}

export async function requirePlan(manager: EntityManager, leaverUserid: string, lock = false): Promise<PlanRow> {
  const plan = await findPlan(manager, leaverUserid, lock);
  if (!plan) throw new NotFoundError("该员工还没有交接方案");
  return plan;
}

/**
 * Creates or refreshes a leaver's plan: new parents and groups are added,
 * ones no longer attached disappear, and every successor is chosen again with
 * HR's explicit picks first. Once transfers have started the plan is history.
 */
export async function savePlan(
  manager: EntityManager,
  leaverUserid: string,
  scope: PlanScope,
  meta: { origin: PlanOrigin; caseId?: string | null; now: Date; customerContactRange?: string[] | null },
): Promise<void> {
  await manager.query(
    `INSERT INTO reassignment_plan (leaver_userid, case_id, origin, created_at, updated_at, customer_contact_users) VALUES ($1, $2, $3, $4, $4, $5)
     ON CONFLICT (leaver_userid) DO UPDATE SET case_id = coalesce(excluded.case_id, reassignment_plan.case_id), updated_at = excluded.updated_at,
       customer_contact_users = coalesce(excluded.customer_contact_users, reassignment_plan.customer_contact_users)`,
    [leaverUserid, meta.caseId ?? null, meta.origin, meta.now, meta.customerContactRange ?? null],
  );
  const plan = await requirePlan(manager, leaverUserid, true);
  if (plan.state === "started") throw new ConflictError("交接已开始，方案不能再修改");
  await manager.query(`DELETE FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'parent' AND NOT item_id = ANY($2)`, [leaverUserid, scope.parentIds]);
  await manager.query(`DELETE FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'group' AND NOT item_id = ANY($2)`, [leaverUserid, scope.groupIds]);
  await replan(manager, leaverUserid, scope, meta.now);
}

/** HR's explicit successors, by parent, by class (every parent of the class) or by group; null clears a pick. */
export interface PlanOverrides {
  parents?: Record<string, string | null>;
  classes?: Record<string, string | null>;
  groups?: Record<string, string | null>;
}

export async function applyOverrides(manager: EntityManager, leaverUserid: string, overrides: PlanOverrides, now: Date): Promise<void> {
  const plan = await requirePlan(manager, leaverUserid, true);
  if (plan.state === "started") throw new ConflictError("交接已开始，方案不能再修改");
  await refuseIneligiblePicks(manager, leaverUserid, overrides, now);
  // An ineligible successor is refused now, with the reason, not discovered as a WeCom errcode later.
  const named = new Set(
    [overrides.parents, overrides.classes, overrides.groups].flatMap((o) => Object.values(o ?? {})).filter((v): v is string => typeof v === "string"),
  );
  const range = await customerContactRange(manager, leaverUserid);
  for (const successor of named) {
    const refusal = successor === leaverUserid ? "接替老师不能是离职老师本人" : await successorRefusalOf(manager, successor, range);
    if (refusal) throw new ValidationError(`不能指定该接替老师：${refusal}`, [{ path: "successor", message: "ineligible successor" }]);
  }
  const set = (kind: string, id: string, successor: string | null) =>
    manager.query(`UPDATE reassignment_item SET hr_choice = $4 WHERE leaver_userid = $1 AND kind = $2 AND item_id = $3`, [leaverUserid, kind, id, successor]);
  for (const [classCode, successor] of Object.entries(overrides.classes ?? {})) {
    await manager.query(
      `UPDATE reassignment_item SET hr_choice = $3 WHERE leaver_userid = $1 AND kind = 'parent' AND $2 = ANY(class_codes)`,
      [leaverUserid, classCode, successor],
    );
  }
  // Per-parent picks are more specific than per-class ones, so they win.
  for (const [id, successor] of Object.entries(overrides.parents ?? {})) await set("parent", id, successor);
  for (const [id, successor] of Object.entries(overrides.groups ?? {})) await set("group", id, successor);
  const items: { kind: string; item_id: string }[] = await manager.query(
    `SELECT kind, item_id FROM reassignment_item WHERE leaver_userid = $1`,
    [leaverUserid],
  );
  await replan(manager, leaverUserid, {
    parentIds: items.filter((i) => i.kind === "parent").map((i) => i.item_id),
    groupIds: items.filter((i) => i.kind === "group").map((i) => i.item_id),
  }, now);
  // A changed plan needs HR's confirmation again.
  await manager.query(`UPDATE reassignment_plan SET state = 'draft', confirmed_by = NULL, confirmed_at = NULL, updated_at = $2 WHERE leaver_userid = $1`, [leaverUserid, now]);
}

/** A pick chooseSuccessor would pass over is refused with its reason (422), not stored and silently replaced. */
async function refuseIneligiblePicks(manager: EntityManager, leaverUserid: string, overrides: PlanOverrides, now: Date): Promise<void> {
  const picks = [...new Set([overrides.parents, overrides.classes, overrides.groups].flatMap((o) => Object.values(o ?? {})).filter((p): p is string => p !== null))];
  if (picks.length === 0) return;
  const parentIds: { item_id: string }[] = await manager.query(`SELECT item_id FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'parent'`, [leaverUserid]);
  const snapshot = await loadRosterSnapshot(manager, leaverUserid, parentIds.map((p) => p.item_id), now);
  const names = await displayNames(manager, picks);
  for (const pick of picks) {
    const refusal = successorRefusal(pick, snapshot);
    if (refusal) {
      throw new AppError(422, "successor_refused", successorRefusalText(refusal, names.get(pick) ?? "该账号", snapshot.leaverName), { successor: pick, refusal });
    }
  }
}

export async function confirmPlan(manager: EntityManager, leaverUserid: string, by: string, now: Date): Promise<void> {
  const plan = await requirePlan(manager, leaverUserid, true);
  if (plan.state === "started") throw new ConflictError("交接已开始");
  await manager.query(
    `UPDATE reassignment_plan SET state = 'confirmed', confirmed_by = $2, confirmed_at = $3, updated_at = $3 WHERE leaver_userid = $1`,
    [leaverUserid, by, now],
  );
}

async function customerContactRange(manager: EntityManager, leaverUserid: string): Promise<string[] | null> {
  const [row] = await manager.query(`SELECT customer_contact_users FROM reassignment_plan WHERE leaver_userid = $1`, [leaverUserid]);
  return row?.customer_contact_users ?? null;
}

/** The plan the one rule makes today for these parents and groups, HR's explicit picks first (nothing written). */
export async function computePlan(manager: EntityManager, leaverUserid: string, scope: PlanScope, now: Date): Promise<{ plan: ReassignmentPlan; snapshot: RosterSnapshot }> {
  const choices: { item_id: string; hr_choice: string }[] = await manager.query(
    `SELECT item_id, hr_choice FROM reassignment_item WHERE leaver_userid = $1 AND hr_choice IS NOT NULL`,
    [leaverUserid],
  );
  const hrChoices = Object.fromEntries(choices.map((c) => [c.item_id, c.hr_choice]));
  const snapshot = await loadRosterSnapshot(manager, leaverUserid, scope.parentIds, now, await customerContactRange(manager, leaverUserid));
  const groups = scope.groupIds.map((id) => ({ id, classIds: [] }));
  const plan = planReassignment(snapshot.leaver, snapshot.parents, groups, {
    roster: snapshot.roster,
    campusHeads: snapshot.campusHeads,
    hrChoices,
  });
  return { plan, snapshot };
}

/** The plan's items as they stand, for scope and before/after comparisons. */
export async function planItems(manager: EntityManager, leaverUserid: string): Promise<{ kind: "parent" | "group"; item_id: string; successor_userid: string | null; hr_choice: string | null }[]> {
  return manager.query(`SELECT kind, item_id, successor_userid, hr_choice FROM reassignment_item WHERE leaver_userid = $1 ORDER BY kind, item_id`, [leaverUserid]);
}

/** Chooses every successor again (HR's picks first) and writes the items and the "无同学科持证教师" subjects. */
export async function replan(manager: EntityManager, leaverUserid: string, scope: PlanScope, now: Date): Promise<void> {
  const { plan, snapshot } = await computePlan(manager, leaverUserid, scope, now);
  await manager.query(`UPDATE reassignment_plan SET subjects_without_qualified_teacher = $2 WHERE leaver_userid = $1`, [leaverUserid, plan.subjectsWithoutQualifiedTeacher]);
  const classesOf = new Map(snapshot.parents.map((p) => [p.id, p.classIds]));
  const rows = [
    ...plan.parents.map((a) => ({ kind: "parent", id: a.id, successor: a.successorUserId as string | null, reason: a.reason })),
    ...plan.unassignedParents.map((id) => ({ kind: "parent", id, successor: null, reason: "no_candidate" })),
    ...plan.groups.map((a) => ({ kind: "group", id: a.id, successor: a.successorUserId as string | null, reason: a.reason })),
    ...plan.unassignedGroups.map((id) => ({ kind: "group", id, successor: null, reason: "no_candidate" })),
  ];
  await manager.query(
    `INSERT INTO reassignment_item (leaver_userid, kind, item_id, class_codes, successor_userid, reason)
     SELECT $1, r.kind, r.item_id, coalesce(array(SELECT json_array_elements_text(r.classes)), '{}'), r.successor, r.reason
     FROM json_to_recordset($2::json) AS r(kind text, item_id text, classes json, successor text, reason text)
     ON CONFLICT (leaver_userid, kind, item_id) DO UPDATE SET class_codes = excluded.class_codes,
       successor_userid = excluded.successor_userid, reason = excluded.reason`,
    [leaverUserid, JSON.stringify(rows.map((r) => ({ kind: r.kind, item_id: r.id, classes: classesOf.get(r.id) ?? [], successor: r.successor, reason: r.reason })))],
  );
}

export interface PlanView {
  leaverUserid: string;
  state: PlanState;
  origin: PlanOrigin;
  caseId: string | null;
  perSuccessor: Array<{ successorUserid: string; name: string | null; parents: number; groups: number }>;
  /** Need HR: nobody eligible was found. */
  unassigned: { parents: string[]; groups: string[] };
  /** "无同学科持证教师": the leaver's subjects no eligible successor holds a 教师资格证 for, in HR's words (null: none). */
  qualificationNote: string | null;
  /** What teachers' certificates changed in the plan since it was made (refreshed, or noted on a confirmed plan). */
  certificateChangeNote: string | null;
  items: Array<{
    kind: "parent" | "group";
    id: string;
    /** The parent's name, where known (groups: the chat id). */
    name: string;
    successorUserid: string | null;
    successorName: string | null;
    reason: string;
    hrChoice: string | null;
    classCodes: string[];
  }>;
}

/** The plan as HR reviews it: counts per successor first, then every item. */
export async function planView(manager: EntityManager, leaverUserid: string): Promise<PlanView> {
  const plan = await requirePlan(manager, leaverUserid);
  const counts: { successor_userid: string; name: string | null; parents: number; groups: number }[] = await manager.query(
    `SELECT i.successor_userid, s.name, count(*) FILTER (WHERE i.kind = 'parent')::int AS parents,
            count(*) FILTER (WHERE i.kind = 'group')::int AS groups
     FROM reassignment_item i LEFT JOIN staff s ON s.userid = i.successor_userid
     WHERE i.leaver_userid = $1 AND i.successor_userid IS NOT NULL
     GROUP BY i.successor_userid, s.name ORDER BY parents DESC, i.successor_userid`,
    [leaverUserid],
  );
  const items: { kind: "parent" | "group"; item_id: string; successor_userid: string | null; reason: string; hr_choice: string | null; class_codes: string[] }[] =
    await manager.query(
      `SELECT kind, item_id, successor_userid, reason, hr_choice, class_codes FROM reassignment_item WHERE leaver_userid = $1 ORDER BY kind, item_id`,
      [leaverUserid],
    );
  const names = await displayNames(manager, items.flatMap((i) => [i.item_id, ...(i.successor_userid ? [i.successor_userid] : [])]));
  return {
    leaverUserid,
    state: plan.state,
    origin: plan.origin,
    caseId: plan.caseId,
    perSuccessor: counts.map((c) => ({ successorUserid: c.successor_userid, name: c.name, parents: c.parents, groups: c.groups })),
    unassigned: {
      parents: items.filter((i) => i.kind === "parent" && !i.successor_userid).map((i) => i.item_id),
      groups: items.filter((i) => i.kind === "group" && !i.successor_userid).map((i) => i.item_id),
    },
    qualificationNote:
      plan.subjectsWithoutQualifiedTeacher.length > 0
        ? `无同学科持证教师：没有可接替的老师持有${plan.subjectsWithoutQualifiedTeacher.join("、")}学科的教师资格证，方案中的接替老师未持该学科证书，请人事确认`
        : null,
    certificateChangeNote: plan.certificateChangeNote,
    items: items.map((i) => ({
      kind: i.kind,
      id: i.item_id,
      name: names.get(i.item_id) ?? i.item_id,
      successorUserid: i.successor_userid,
      successorName: i.successor_userid ? (names.get(i.successor_userid) ?? i.successor_userid) : null,
      reason: i.reason,
      hrChoice: i.hr_choice,
      classCodes: i.class_codes,
    })),
  };
}
