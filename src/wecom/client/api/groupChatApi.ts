import { assertCountBetween, assertIntBetween } from "../limits";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export interface GroupChatListRequest {
  /** 0 all, 1 owner resigned (waiting for transfer), 2 transfer in progress, 3 transferred. */
  status_filter?: 0 | 1 | 2 | 3;
  owner_filter?: { userid_list: string[] };
  cursor?: string;
  /** 1–1000. */
  limit: number;
}

export interface GroupChatListPage extends WeComReply {
  group_chat_list: Array<{ chat_id: string; status: number }>;
  next_cursor?: string;
}

export interface GroupChatMember {
  userid: string;
  /** 1 member, 2 external contact. */
  type: 1 | 2;
  unionid?: string;
  join_time: number;
  join_scene: number;
  invitor?: { userid: string };
  group_nickname?: string;
  name?: string;
}

export interface GroupChat {
  chat_id: string;
  name?: string;
  owner: string;
  create_time: number;
  notice?: string;
  member_list: GroupChatMember[];
  admin_list?: Array<{ userid: string }>;
}

export interface GroupChatTransferRequest {
  /** 1–100 chats. */
  chat_id_list: string[];
  new_owner: string;
}

export interface FailedChat {
  chat_id: string;
  errcode: number;
  errmsg: string;
}

/** errcode 0 with failures inside is normal: `failed_chat_list` is the real outcome, always present. */
export interface GroupChatTransferResult {
  failed_chat_list: FailedChat[];
  /** The requested chats that did not fail. */
  transferred_chat_ids: string[];
}

/** Customer group chats (externalcontact/groupchat/*), 客户联系 secret. */
export class GroupChatApi {
  constructor(private readonly http: WeComHttp) {}

  async list(request: GroupChatListRequest): Promise<GroupChatListPage> {
    assertIntBetween("limit", request.limit, 1, 1000);
    if (request.owner_filter) assertCountBetween("owner_filter.userid_list", request.owner_filter.userid_list, 1, 100);
    const reply = await this.http.post<GroupChatListPage>(
      "externalcontact",
      "/cgi-bin/externalcontact/groupchat/list",
      { secret: "customer", body: request },
    );
    return { ...reply, group_chat_list: reply.group_chat_list ?? [] };
  }

  async get(chatId: string, needName = true): Promise<GroupChat> {
    const reply = await this.http.post<WeComReply & { group_chat: GroupChat }>(
      "externalcontact",
      "/cgi-bin/externalcontact/groupchat/get",
      { secret: "customer", body: { chat_id: chatId, need_name: needName ? 1 : 0 } },
    );
    return { ...reply.group_chat, member_list: reply.group_chat.member_list ?? [] };
  }

  /** 离职继承 of groups whose owner has left. */
  transfer(request: GroupChatTransferRequest): Promise<GroupChatTransferResult> {
    return this.transferVia("/cgi-bin/externalcontact/groupchat/transfer", request);
  }

  /** 在职继承 of groups (each group at most twice per 90 days). */
  onjobTransfer(request: GroupChatTransferRequest): Promise<GroupChatTransferResult> {
    return this.transferVia("/cgi-bin/externalcontact/groupchat/onjob_transfer", request);
  }

  private async transferVia(path: string, request: GroupChatTransferRequest): Promise<GroupChatTransferResult> {
    assertCountBetween("chat_id_list", request.chat_id_list, 1, 100);
    const reply = await this.http.post<WeComReply & { failed_chat_list?: FailedChat[] }>("externalcontact", path, {
      secret: "customer",
      body: request,
    });
    const failed = reply.failed_chat_list ?? [];
    const failedIds = new Set(failed.map((f) => f.chat_id));
    return {
      failed_chat_list: failed,
      transferred_chat_ids: request.chat_id_list.filter((id) => !failedIds.has(id)),
    };
  }
}
