import type { EntityManager } from "typeorm";
import type { Actor } from "../../org";
import { scope } from "../../org";
import { scopeSql } from "../../org";

const OUTCOME_LABELS: Record<string, string> = {
  done: "已完成",
  waiting: "等待家长",
  requested: "等待家长",
  refused: "家长拒绝",
  successor_over_limit: "接替人超上限",
  failed: "失败",
};
const OUTCOME_ORDER = ["已完成", "等待家长", "家长拒绝", "接替人超上限", "失败"];

/**
 * Parent transfers of the leavers the actor may read (the case policy's scope over the leaver), by
 * outcome in Chinese, every outcome listed (0 when none): the console dashboard's transfer chart.
 */
export async function transferOutcomes(manager: EntityManager, actor: Actor): Promise<{ label: string; count: number }[]> {
  const visible = scopeSql(scope(actor, "read", "case"), 1);
  const [all, departmentIds] = visible.params;
  const rows: { status: string; count: number }[] = await manager.query(
    `SELECT t.status, count(*)::int AS count FROM customer_transfer t JOIN staff s ON s.userid = t.leaver_userid
      WHERE ${visible.staff("s.userid")} AND t.superseded_at IS NULL GROUP BY 1`,
    [all, departmentIds],
  );
  const totals = new Map<string, number>();
  for (const r of rows) {
    const label = OUTCOME_LABELS[r.status] ?? r.status;
    totals.set(label, (totals.get(label) ?? 0) + r.count);
  }
  return OUTCOME_ORDER.map((label) => ({ label, count: totals.get(label) ?? 0 }));
}
