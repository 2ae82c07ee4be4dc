import { SandboxApiError } from "../apiError";
import { changeExternalChat } from "../callbacks/events";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { chinaDay, NINETY_DAYS_MS } from "../state/quotaTime";
import type { GroupChat, GroupChatTransfer } from "../state/types";
import { integer, object, requiredString, stringList } from "./params";
import { page } from "./paging";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

export const GROUPS_PER_DAY_PER_NEW_OWNER = 300;
export const ONJOB_GROUP_TRANSFERS_PER_90_DAYS = 2;

function presentChat(chat: GroupChat) {
  return {
    chat_id: chat.chatId,
    name: chat.name,
    owner: chat.owner,
    create_time: Math.floor(chat.createdAt.getTime() / 1000),
    notice: chat.notice,
    member_list: chat.members.map((m) => ({
      userid: m.userid,
      type: m.type,
      join_time: Math.floor(m.joinTime.getTime() / 1000),
      join_scene: m.joinScene,
    })),
    admin_list: chat.admins.map((userid) => ({ userid })),
    member_version: String(chat.memberVersion),
  };
}

/** Customer group chats: listing, details and owner transfer (resigned and on-job). */
export function groupChatRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock, callbacks } = core;

  function chatRefusal(kind: GroupChatTransfer["kind"], chat: GroupChat | undefined, newOwner: string): number {
    if (!chat || chat.dismissed) return ERR.notCustomerGroup;
    const ownerLeft = state.users.get(chat.owner)?.status === 5;
    if (kind === "resigned" && !ownerLeft) return ERR.groupOwnerNotResigned;
    if (kind === "onjob" && ownerLeft) return ERR.groupOwnerResigned;
    if (chat.owner === newOwner) return ERR.groupOwnerUnchanged;
    const now = clock.now();
    const today = chinaDay(now);
    const toOwnerToday = state.groupChatTransfers.filter((t) => t.to === newOwner && chinaDay(t.at) === today).length;
    if (toOwnerToday >= GROUPS_PER_DAY_PER_NEW_OWNER) return ERR.groupTransferLimit;
    if (kind === "onjob") {
      const since = now.getTime() - NINETY_DAYS_MS;
      const recent = state.groupChatTransfers.filter((t) => t.kind === "onjob" && t.chatId === chat.chatId && t.at.getTime() > since);
      if (recent.length >= ONJOB_GROUP_TRANSFERS_PER_90_DAYS) return ERR.tooFrequent;
    }
    return 0;
  }

  function transfer(kind: GroupChatTransfer["kind"], chat: GroupChat, newOwner: string): void {
    const at = clock.now();
    state.groupChatTransfers.push({ chatId: chat.chatId, kind, from: chat.owner, to: newOwner, at });
    chat.owner = newOwner;
    if (!chat.members.some((m) => m.userid === newOwner)) {
      chat.members.push({ userid: newOwner, type: 1, joinTime: at, joinScene: 0 });
    }
    void callbacks.send(changeExternalChat(chat.chatId, { changeType: "update", updateDetail: "change_owner" }));
  }

  function transferRoute(path: string, kind: GroupChatTransfer["kind"]): SandboxRoute {
    return {
      method: "POST",
      path,
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const chatIds = stringList(body.chat_id_list, "chat_id_list", 100, { required: true });
        const newOwner = requiredString(body.new_owner, "new_owner");
        if (!state.activeUser(newOwner)) throw new SandboxApiError(ERR.takeoverInactive, "new_owner is not an active member");
        const failed = chatIds.flatMap((chatId) => {
          const chat = state.groupChats.get(chatId);
          const errcode = chatRefusal(kind, chat, newOwner);
          if (errcode === 0) transfer(kind, chat!, newOwner);
          return errcode === 0 ? [] : [{ chat_id: chatId, errcode, errmsg: `transfer refused (${errcode})` }];
        });
        return { failed_chat_list: failed };
      },
    };
  }

  return [
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/groupchat/list",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const limit = integer(body.limit, "limit", { min: 1, max: 1000 });
        const owners = body.owner_filter === undefined ? [] : stringList(object(body.owner_filter, "owner_filter").userid_list, "userid_list", 100);
        const chats = [...state.groupChats.values()].filter((c) => !c.dismissed && (owners.length === 0 || owners.includes(c.owner)));
        const { items, nextCursor } = page(chats, body.cursor, limit);
        return { group_chat_list: items.map((c) => ({ chat_id: c.chatId, status: 0 })), next_cursor: nextCursor };
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/groupchat/get",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const chat = state.groupChats.get(requiredString(body.chat_id, "chat_id"));
        if (!chat || chat.dismissed) throw new SandboxApiError(ERR.notCustomerGroup, "invalid chat_id");
        return { group_chat: presentChat(chat) };
      },
    },
    transferRoute("/cgi-bin/externalcontact/groupchat/transfer", "resigned"),
    transferRoute("/cgi-bin/externalcontact/groupchat/onjob_transfer", "onjob"),
  ];
}
