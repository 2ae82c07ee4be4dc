import type { EntityManager } from "typeorm";
import { replaceUserid } from "../platform/db/replaceUserid";

/** A member's userid changed: their risk state, alerts, IT tasks and last-day lockdown follow. */
export async function renameAlertsStaffUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  await replaceUserid(manager, "risk_staff_state", "staff_userid", from, to, []);
  await replaceUserid(manager, "alert", "staff_userid", from, to);
  await replaceUserid(manager, "alert_it_task", "staff_userid", from, to);
  await replaceUserid(manager, "leaver_lockdown", "userid", from, to, []);
}
