import type { EntityManager } from "typeorm";
import { displayNames } from "../../org";
import { certificateReplanNote } from "../rules/certificateReplanNote";
import { computePlan, planItems, replan } from "./planStore";

/**
 * Teachers' certificates changed (imported, edited, deleted): every handover plan not yet started is
 * weighed again by the one successor rule, in the writer's transaction. A plan HR has not confirmed gets the
 * new suggestion (HR's own picks stay: the rule takes them first); a confirmed plan is never changed, it is
 * told what the new certificates would change. Either way the plan says what changed and when. Answers the
 * sentences the writer's reply adds.
 */
export async function refreshPlansAfterCertificates(manager: EntityManager, change: { staffUserids: string[]; now: Date }): Promise<string[]> {
  const plans: { leaver_userid: string; state: "draft" | "confirmed"; subjects: string[]; note: string | null }[] = await manager.query(
    `SELECT leaver_userid, state, subjects_without_qualified_teacher AS subjects, certificate_change_note AS note FROM reassignment_plan WHERE state IN ('draft', 'confirmed') ORDER BY leaver_userid FOR UPDATE`,
  );
  const refreshed: string[] = [];
  const noted: string[] = [];
  for (const p of plans) {
    const items = await planItems(manager, p.leaver_userid);
    const scope = { parentIds: items.filter((i) => i.kind === "parent").map((i) => i.item_id), groupIds: items.filter((i) => i.kind === "group").map((i) => i.item_id) };
    const { plan } = await computePlan(manager, p.leaver_userid, scope, change.now);
    const after = new Map<string, string | null>([
      ...plan.parents.map((a): [string, string | null] => [`parent:${a.id}`, a.successorUserId]),
      ...plan.unassignedParents.map((id): [string, string | null] => [`parent:${id}`, null]),
      ...plan.groups.map((a): [string, string | null] => [`group:${a.id}`, a.successorUserId]),
      ...plan.unassignedGroups.map((id): [string, string | null] => [`group:${id}`, null]),
    ]);
    const before = new Map(items.map((i): [string, string | null] => [`${i.kind}:${i.item_id}`, i.successor_userid]));
    const names = await displayNames(manager, [p.leaver_userid, ...[...after.values()].filter((v): v is string => v !== null)]);
    const note = certificateReplanNote({
      before,
      after,
      subjectsBefore: p.subjects ?? [],
      subjectsAfter: plan.subjectsWithoutQualifiedTeacher,
      confirmed: p.state === "confirmed",
      names,
    });
    // Nothing changed, or a confirmed plan already says exactly this: the plan and its note stay as they are.
    if (note === null || (p.state === "confirmed" && note === p.note)) continue;
    if (p.state === "draft") await replan(manager, p.leaver_userid, scope, change.now);
    await manager.query(`UPDATE reassignment_plan SET certificate_change_note = $2, certificate_change_at = $3 WHERE leaver_userid = $1`, [p.leaver_userid, note, change.now]);
    (p.state === "draft" ? refreshed : noted).push(names.get(p.leaver_userid) ?? "一位离职老师");
  }
  return [
    ...(refreshed.length > 0 ? [`已按新的资质重新计算 ${refreshed.length} 个未确认交接方案的接替建议（${refreshed.join("、")}）`] : []),
    ...(noted.length > 0 ? [`${noted.length} 个已确认的交接方案未改动，已在方案中注明资质变化（${noted.join("、")}）`] : []),
  ];
}
