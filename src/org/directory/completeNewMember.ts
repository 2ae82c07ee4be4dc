import type { EntityManager } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { ContactEvent } from "../../wecom";
import type { DirectorySource } from "./directorySource";
import { upsertMember } from "./syncDirectory";

/**
 * A member added in WeCom arrives as change_contact create_user with UserID and Department only: for callback
 * URLs set up or changed after 2022-08-15 "成员属性只回调UserID/Department两个字段" (developer.work.weixin.qq.com
 * document/path/90970 成员变更通知, 新增成员事件). Their name, position and status are read from the directory
 * (user/get) in the same transaction, so a newcomer is named at once — the work-account rules they are
 * offered in this transaction address them by name — instead of after the next six-hourly sync. A failed
 * read fails the event, which the inbox retries; a member already deleted again (60111) is left to the
 * delete_user event.
 */
export async function completeNewMember(manager: EntityManager, source: DirectorySource, clock: Clock, event: ContactEvent): Promise<void> {
  if (event.changeType !== "create_user" || event.name) return;
  const member = await source.findMember(event.userId);
  if (member) await upsertMember(manager, member, clock.now());
}
