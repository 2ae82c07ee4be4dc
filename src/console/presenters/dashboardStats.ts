import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import { transferOutcomes } from "../../handover";
import { caseStatistics } from "../../resignation";

export interface DashboardStats {
  /** Resignations (by notice date) per month and branch, last 12 months. */
  byMonth: { month: string; branch: string; count: number }[];
  byReason: { label: string; count: number }[];
  /** Parent transfers of leavers in scope, by outcome. */
  transfers: { label: string; count: number }[];
}

/**
 * Aggregates for the dashboard's charts, read-only and scoped like the API's case list (the leaver's
 * departments within the caller's subtree): asked of the capabilities that own the data.
 */
export async function dashboardStats(dataSource: DataSource, actor: Actor, now: Date): Promise<DashboardStats> {
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const [cases, transfers] = await Promise.all([caseStatistics(dataSource.manager, actor, since), transferOutcomes(dataSource.manager, actor)]);
  return { ...cases, transfers };
}
