import type { EntityManager } from "typeorm";
import { replaceUserid } from "../platform/db/replaceUserid";

/** A member's userid changed: their risk state, alerts, IT tasks and last-day lockdown follow. */
export async function renameAlertsStaffUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  if (from === to) return;
  // A state's window rows go with its head: where the new id already has a state, the old one goes, rows and all.
  await manager.query(
    `DELETE FROM risk_window_message WHERE staff_userid = $1 AND EXISTS (SELECT 1 FROM risk_staff_state WHERE staff_userid = $2)`,
    [from, to],
  );
  await replaceUserid(manager, "risk_window_message", "staff_userid", from, to, ["msgid"]);
  await replaceUserid(manager, "risk_staff_state", "staff_userid", from, to, []);
  await replaceUserid(manager, "alert", "staff_userid", from, to);
  await replaceUserid(manager, "alert_it_task", "staff_userid", from, to);
  await replaceUserid(manager, "leaver_lockdown", "userid", from, to, []);
}
