import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import type { MsgTemplate } from "../state/types";
import { integer, optionalString, requiredString } from "./params";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

const MAX_SPAN_SECONDS = 31 * 86_400;

/**
 * 获取群发记录列表 and 获取群发成员发送任务列表 (developer.work.weixin.qq.com/document/path/93338; the same
 * shapes in silenceper/wechat work/externalcontact/msg.go GetGroupMsgListV2 / GetGroupMsgTask and WxJava
 * WxCpExternalContactService.getGroupMsgTask).
 *
 * get_groupmsg_list_v2: the company's and members' group-send tasks in a window of at most one month, by
 * creator and create type (filter_type 0 企业发表, 1 个人发表, 2 所有), paged by cursor. `creator` is the
 * userid of whoever created the task, and "API接口创建的群发消息不返回该字段": a task made by
 * add_msg_template (create_type 0 here) carries no creator, so a creator filter never matches it — the
 * sender of such a task is found only through get_groupmsg_task. A task a member made on the phone
 * (create_type 1) has that member as creator.
 *
 * get_groupmsg_task {msgid, limit ≤ 1000 (default 500), cursor}: the members asked to send the task,
 * each with status 0 未发送 / 2 已发送 and send_time once sent, paged by cursor.
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
          .filter((t) => !creator || creatorOf(t) === creator)
          .filter((t) => filterType === 2 || (t.createType ?? 0) === filterType)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        const page = all.slice(offset, offset + limit);
        return {
          group_msg_list: page.map((t) => ({
            msgid: t.msgid,
            ...(creatorOf(t) !== undefined ? { creator: creatorOf(t) } : {}),
            create_type: t.createType ?? 0,
            ...(t.text !== undefined ? { text: { content: t.text } } : {}),
            attachments: t.attachments,
            create_time: Math.floor(t.createdAt.getTime() / 1000),
          })),
          next_cursor: offset + limit < all.length ? String(offset + limit) : "",
        };
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/get_groupmsg_task",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const msgid = requiredString(body.msgid, "msgid");
        // Out of range falls back to the default, as path/93338 says ("超过最大值时取默认值").
        const asked = Number(body.limit ?? 500);
        const limit = Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : 500;
        const offset = body.cursor ? Number(body.cursor) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw new SandboxApiError(ERR.invalidParameter, "invalid cursor");
        const task = state.msgTemplates.get(msgid);
        // path/93338 names no errcode for an unknown msgid; the sandbox answers invalid parameter.
        if (!task) throw new SandboxApiError(ERR.invalidParameter, "invalid msgid");
        // One member per task here: add_msg_template takes one sender (path/92135).
        const members = [{ userid: task.sender, status: task.confirmedAt ? 2 : 0, ...(task.confirmedAt ? { send_time: Math.floor(task.confirmedAt.getTime() / 1000) } : {}) }];
        return { task_list: members.slice(offset, offset + limit), next_cursor: offset + limit < members.length ? String(offset + limit) : "" };
      },
    },
  ];
}

/** A task made on the phone has its member as creator; one made through add_msg_template has none (path/93338). */
function creatorOf(t: MsgTemplate): string | undefined {
  return t.createType === 1 ? t.sender : undefined;
}
