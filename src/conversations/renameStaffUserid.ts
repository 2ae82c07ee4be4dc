import type { EntityManager } from "typeorm";
import { replaceUserid } from "../platform/db/replaceUserid";

/**
 * A member's userid changed: their archived conversations stay theirs (reads, successor access and exports
 * scope by staff_userid), and so do the parents' consent, HR's holds on erasure and the erasure log of
 * their pairs. The encrypted bodies keep WeCom's from/tolist as they were sent.
 */
export async function renameConversationsStaffUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  await replaceUserid(manager, "archive_message", "staff_userid", from, to);
  // A pair known under both ids keeps the row already kept under the new one (it is the newer fact).
  await replaceUserid(manager, "archive_consent", "staff_userid", from, to, ["external_userid"]);
  await replaceUserid(manager, "archive_erasure_hold", "staff_userid", from, to, ["external_userid"]);
  await replaceUserid(manager, "archive_erasure_log", "staff_userid", from, to);
}
