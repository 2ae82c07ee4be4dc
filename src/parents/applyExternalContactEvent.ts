import type { WeComClient } from "../wecom";
import type { ExternalContactEvent } from "../wecom";
import type { InboxHandlerContext } from "../wecom";
import type { Clock } from "../platform/clock";
import { ParentStore } from "./parentStore";

/**
 * Mirror a change_external_contact event. An add or edit names only the two
 * parties, so the current profile and this teacher's follow info are read
 * from WeCom (once per parent per claimed batch of the inbox, shared by its
 * events); if that read fails the event is retried by the inbox.
 */
export function externalContactHandler(client: WeComClient, clock: Clock) {
  return async (event: ExternalContactEvent, ctx: InboxHandlerContext): Promise<void> => {
    const store = new ParentStore(ctx.manager);
    const at = new Date(event.createTime * 1000);
    switch (event.changeType) {
      case "add_external_contact":
      case "add_half_external_contact":
      case "edit_external_contact": {
        // Read once per parent per claimed batch of the inbox: a mass transfer's events about one parent share it.
        const detail = await ctx.shared(`externalcontact/get:${event.externalUserId}`, () => client.externalContact.getWithAllFollowers(event.externalUserId));
        const follow = detail.follow_user.find((f) => f.userid === event.userId);
        if (!follow) {
          ctx.log.info({ userId: event.userId }, "follow relation already gone when read; nothing to mirror");
          return;
        }
        await store.apply({ kind: "added_or_edited", profile: detail.external_contact, follow }, at, clock.now());
        return;
      }
      case "del_external_contact":
        await store.apply(
          { kind: "deleted_by_staff", staffUserid: event.userId, externalUserid: event.externalUserId, byTransfer: event.source === "DELETE_BY_TRANSFER" },
          at,
          clock.now(),
        );
        return;
      case "del_follow_user":
        await store.apply({ kind: "deleted_by_parent", staffUserid: event.userId, externalUserid: event.externalUserId }, at, clock.now());
        return;
      default:
        return;
    }
  };
}
