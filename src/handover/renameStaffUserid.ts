import type { EntityManager } from "typeorm";
import { replaceUserid } from "../platform/db/replaceUserid";

/**
 * A member's userid changed: plans, items, transfers and their health rows follow, as leaver and as
 * successor, so a pending transfer call goes to WeCom with the id the member has now.
 */
export async function renameHandoverUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  // The plan's items follow it (ON UPDATE CASCADE, migration 1766330000001).
  await replaceUserid(manager, "reassignment_plan", "leaver_userid", from, to, []);
  await replaceUserid(manager, "reassignment_item", "successor_userid", from, to);
  await replaceUserid(manager, "transfer_call", "leaver_userid", from, to);
  await replaceUserid(manager, "transfer_call", "successor_userid", from, to);
  await replaceUserid(manager, "customer_transfer", "leaver_userid", from, to, ["successor_userid", "external_userid", "mode"]);
  await replaceUserid(manager, "customer_transfer", "successor_userid", from, to, ["leaver_userid", "external_userid", "mode"]);
  await replaceUserid(manager, "transfer_result_cursor", "leaver_userid", from, to, ["successor_userid", "mode"]);
  await replaceUserid(manager, "transfer_result_cursor", "successor_userid", from, to, ["leaver_userid", "mode"]);
  await replaceUserid(manager, "group_transfer", "leaver_userid", from, to, ["chat_id"]);
  await replaceUserid(manager, "group_transfer", "new_owner", from, to);
  await replaceUserid(manager, "transfer_notification", "leaver_userid", from, to);
  await replaceUserid(manager, "transfer_notification", "sender", from, to);
  await replaceUserid(manager, "handover_parent_health", "leaver_userid", from, to, ["external_userid"]);
  await replaceUserid(manager, "handover_parent_health", "successor_userid", from, to);
}
