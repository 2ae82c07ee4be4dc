import type { EntityManager } from "typeorm";
import { replaceUserid } from "../platform/db/replaceUserid";

/**
 * A member's userid changed: their archived conversations stay theirs (reads, successor access and exports
 * scope by staff_userid). The encrypted bodies keep WeCom's from/tolist as they were sent.
 */
export async function renameConversationsStaffUserid(manager: EntityManager, from: string, to: string): Promise<void> {
  await replaceUserid(manager, "archive_message", "staff_userid", from, to);
}
