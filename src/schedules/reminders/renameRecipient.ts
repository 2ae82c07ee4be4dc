import type { EntityManager } from "typeorm";
import { replaceUserid } from "../../platform/db/replaceUserid";

/** A member's userid changed: reminders due to them keep reaching them. */
export async function renameReminderRecipient(manager: EntityManager, from: string, to: string): Promise<void> {
  await replaceUserid(manager, "reminder", "recipient_userid", from, to, ["subject_kind", "subject_id"]);
}
