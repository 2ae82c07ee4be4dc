import { SandboxApiError } from "../apiError";
import { changeExternalChat } from "../callbacks/events";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { NINETY_DAYS_MS } from "../state/quotaTime";
import type { GroupChat, GroupChatTransfer } from "../state/types";
import { integer, object, requiredString, stringList } from "./params";
import { page } from "./paging";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

/** A group with this many WeChat (external) members cannot change owner without a client-side confirmation (90503). */
export const MAX_WECHAT_MEMBERS = 99;
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
      ...(m.invitor ? { invitor: { userid: m.invitor } } : {}),
    })),
    admin_list: chat.admins.map((userid) => ({ userid })),
    member_version: String(chat.memberVersion),
  };
}

/** Customer group chats: listing, details and owner transfer (resigned and on-job). */
export function groupChatRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock, callbacks } = core;

  /**
   * WeCom's meanings (go-workwx errcodes/mod.go): 90501 该群不是客户群; 90504 群主没变; 90508 离职群已经继承
   * (a resigned group already inherited by someone else); 90507 离职群正在继承处理中 (an inheritance started
   * in the admin console is running); 90500 群主并未离职; 90502 群主已经离职; 90503 满人 & 99个微信成员，没办法踢，
   * 要客户端确认 — a full group, not a daily cap (the sandbox emulates no daily cap: none is documented).
   */
  function chatRefusal(kind: GroupChatTransfer["kind"], chat: GroupChat | undefined, newOwner: string): number {
    if (!chat || chat.dismissed) return ERR.notCustomerGroup;
    if (chat.owner === newOwner) return ERR.groupOwnerUnchanged;
    if (kind === "resigned" && state.groupInheritancePending.has(chat.chatId)) return ERR.groupInheriting;
    const ownerLeft = state.users.get(chat.owner)?.status === 5;
    const inherited = state.groupChatTransfers.some((t) => t.chatId === chat.chatId && t.kind === "resigned" && t.to === chat.owner);
    if (kind === "resigned" && inherited && !ownerLeft) return ERR.groupAlreadyInherited;
    if (kind === "resigned" && !ownerLeft) return ERR.groupOwnerNotResigned;
    if (kind === "onjob" && ownerLeft) return ERR.groupOwnerResigned;
    if (chat.members.filter((m) => m.type === 2).length >= MAX_WECHAT_MEMBERS) return ERR.groupFull;
    const now = clock.now();
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
        if (!state.users.get(newOwner) || state.users.get(newOwner)!.leftAt !== undefined) throw new SandboxApiError(ERR.userNotFound, "userid not found");
        if (!state.activeUser(newOwner)) throw new SandboxApiError(ERR.userNotActivated, "new_owner is not an active member");
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
