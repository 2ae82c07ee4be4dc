import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { integer, optionalString } from "./params";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

const MAX_SPAN_SECONDS = 31 * 86_400;

/**
 * 获取群发记录列表 (path/93338): the company's and members' group-send tasks in a window of at most
 * one month, by creator and create type (filter_type 0 企业发表, 1 个人发表, 2 所有), paged by cursor.
 * The sandbox lists a task's sender as its creator for both kinds.
 */
export function groupMsgRecordRoutes(core: SandboxCore): SandboxRoute[] {
  const { state } = core;
  return [
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/get_groupmsg_list_v2",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const chatType = optionalString(body.chat_type, "chat_type") ?? "single";
        if (!["single", "group"].includes(chatType)) throw new SandboxApiError(ERR.invalidParameter, "invalid chat_type");
        const start = integer(body.start_time, "start_time", { min: 0 });
        const end = integer(body.end_time, "end_time", { min: start });
        if (end - start > MAX_SPAN_SECONDS) throw new SandboxApiError(ERR.invalidParameter, "start_time and end_time at most one month apart");
        const creator = optionalString(body.creator, "creator");
        const filterType = integer(body.filter_type, "filter_type", { min: 0, max: 2, fallback: 2 });
        const limit = integer(body.limit, "limit", { min: 1, max: 100, fallback: 50 });
        const offset = body.cursor ? Number(body.cursor) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw new SandboxApiError(ERR.invalidParameter, "invalid cursor");
        const all = [...state.msgTemplates.values()]
          .filter((t) => t.chatType === chatType)
          .filter((t) => {
            const at = Math.floor(t.createdAt.getTime() / 1000);
            return at >= start && at <= end;
          })
          .filter((t) => !creator || t.sender === creator)
          .filter((t) => filterType === 2 || (t.createType ?? 0) === filterType)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        const page = all.slice(offset, offset + limit);
        return {
          group_msg_list: page.map((t) => ({
            msgid: t.msgid,
            creator: t.sender,
            create_type: t.createType ?? 0,
            ...(t.text !== undefined ? { text: { content: t.text } } : {}),
            attachments: t.attachments,
            create_time: Math.floor(t.createdAt.getTime() / 1000),
          })),
          next_cursor: offset + limit < all.length ? String(offset + limit) : "",
        };
      },
    },
  ];
}
