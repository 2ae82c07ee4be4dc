import type { ExternalContactEvent, InboxBatchContext, WeComClient } from "../wecom";
import type { Clock } from "../platform/clock";
import type { TimedFollowChange } from "./parentStore";
import { ParentStore } from "./parentStore";

/**
 * Mirror change_external_contact events, a transaction's worth at once. An
 * add or edit names only the two parties, so the current profile and this
 * teacher's follow info are read from WeCom (once per parent per claimed batch
 * of the inbox, shared by its events; the parents of a batch are read side
 * by side, the client bounds and paces them); if a read fails the events are
 * retried by the inbox. The writes are a constant number of statements for
 * the whole batch (ParentStore.applyAll).
 */
export function externalContactHandler(client: WeComClient, clock: Clock) {
  return async (events: ExternalContactEvent[], ctx: InboxBatchContext): Promise<void> => {
    const reads = new Map<string, ReturnType<WeComClient["externalContact"]["getWithAllFollowers"]>>();
    for (const e of events) {
      if (!readsWeCom(e) || reads.has(e.externalUserId)) continue;
      // Read once per parent per claimed batch of the inbox: a mass transfer's events about one parent share it.
      reads.set(e.externalUserId, ctx.shared(`externalcontact/get:${e.externalUserId}`, () => client.externalContact.getWithAllFollowers(e.externalUserId)));
    }
    const details = new Map(await Promise.all([...reads].map(async ([id, read]) => [id, await read] as const)));
    const changes: TimedFollowChange[] = [];
    for (const event of events) {
      const eventAt = new Date(event.createTime * 1000);
      switch (event.changeType) {
        case "add_external_contact":
        case "add_half_external_contact":
        case "edit_external_contact": {
          const detail = details.get(event.externalUserId)!;
          const follow = detail.follow_user.find((f) => f.userid === event.userId);
          if (!follow) {
            ctx.log.info({ userId: event.userId }, "follow relation already gone when read; nothing to mirror");
            continue;
          }
          changes.push({ change: { kind: "added_or_edited", profile: detail.external_contact, follow }, eventAt });
          continue;
        }
        case "del_external_contact":
          changes.push({
            change: { kind: "deleted_by_staff", staffUserid: event.userId, externalUserid: event.externalUserId, byTransfer: event.source === "DELETE_BY_TRANSFER" },
            eventAt,
          });
          continue;
        case "del_follow_user":
          changes.push({ change: { kind: "deleted_by_parent", staffUserid: event.userId, externalUserid: event.externalUserId }, eventAt });
          continue;
        default:
          continue;
      }
    }
    if (changes.length > 0) await new ParentStore(ctx.manager).applyAll(changes, clock.now());
  };
}

function readsWeCom(e: ExternalContactEvent): boolean {
  return e.changeType === "add_external_contact" || e.changeType === "add_half_external_contact" || e.changeType === "edit_external_contact";
}
