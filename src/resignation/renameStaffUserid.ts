import type { EntityManager } from "typeorm";
import { replaceUserid, replaceUseridInArray } from "../platform/db/replaceUserid";

/**
 * A member's userid changed: their resignation case, the approval steps and handover items waiting on them,
 * the exit interviews they hold and their alumni record follow. Who decided or signed what stays as it was
 * recorded (the dossier is hash-chained evidence).
 */
export async function renameResignationUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  await manager.query(
    `UPDATE resignation_case SET employee_userid = $2 WHERE employee_userid = $1
       AND NOT (state NOT IN ('closed','withdrawn') AND EXISTS (
         SELECT 1 FROM resignation_case n WHERE n.employee_userid = $2 AND n.state NOT IN ('closed','withdrawn')))`,
    [from, to],
  );
  await replaceUseridInArray(manager, "approval_step", "approver_userids", from, to);
  // Whose approval cards a kept response_code still updates.
  await replaceUseridInArray(manager, "approval_card_code", "recipients", from, to);
  await replaceUserid(manager, "handover_item", "owner", from, to);
  await replaceUserid(manager, "exit_interview", "interviewer_userid", from, to);
  await replaceUserid(manager, "alumni", "userid", from, to, []);
  await replaceUserid(manager, "work_rules_signature", "userid", from, to, []);
  // The HR member whose WeCom customer an alum is (opt-in outreach goes out from their account).
  await replaceUserid(manager, "alumni_outreach_optin", "contact_userid", from, to);
}
