import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";
import { cursorPages } from "../pagination";

/*
 * 获取群发记录列表 (developer.work.weixin.qq.com/document/path/93338): POST
 * externalcontact/get_groupmsg_list_v2 {chat_type single|group, start_time, end_time (at most one
 * month apart), creator?, filter_type 0 企业发表 | 1 个人发表 | 2 所有 (default), limit ≤ 100, cursor}
 * → group_msg_list[]{msgid, creator, create_type 0 企业 | 1 个人, text{content}, attachments,
 * create_time} and next_cursor. Shapes as in SKIT.FlurlHttpClient.Wechat.Work
 * CgibinExternalContactGetGroupMessageListV2Response.cs and Mud.Wechat GetGroupMsgListRequest.cs.
 */
export interface GroupMsgRecord {
  msgid: string;
  /** Who created it; "API接口创建的群发消息不返回该字段" (path/93338): absent on add_msg_template's tasks. */
  creator?: string;
  /** 0 created by the company (API or admin), 1 created by the member on the phone. */
  create_type: 0 | 1;
  text?: { content: string };
  attachments?: unknown[];
  create_time: number;
}

export interface GroupMsgListQuery {
  chatType: "single" | "group";
  /** Seconds. */
  startTime: number;
  endTime: number;
  creator?: string;
  filterType?: 0 | 1 | 2;
}

/*
 * 获取群发成员发送任务列表 (path/93338#获取群发成员发送任务列表): POST externalcontact/get_groupmsg_task
 * {msgid, limit ≤ 1000 (default 500), cursor} → task_list[]{userid, status 0 未发送 | 2 已发送, send_time
 * (absent until sent)} and next_cursor. As silenceper/wechat work/externalcontact/msg.go GetGroupMsgTask
 * (Task{UserID, Status, SendTime}) and WxJava WxCpExternalContactService.getGroupMsgTask(msgid, limit, cursor).
 */
export interface GroupMsgTaskMember {
  userid: string;
  status: 0 | 2;
  send_time?: number;
}

export const GROUP_MSG_LIST_MAX_SPAN_SECONDS = 31 * 86_400;

/** Clock skew allowed between our record of an attempt and WeCom's create_time. */
const SKEW_SECONDS = 300;

export interface CreatedTaskQuery {
  chatType: "single" | "group";
  sender: string;
  text: string;
  /** When the earlier attempt was made (its task cannot be older). */
  since: Date;
  now: Date;
}

const LIST_PATH = "/cgi-bin/externalcontact/get_groupmsg_list_v2";
const TASK_PATH = "/cgi-bin/externalcontact/get_groupmsg_task";

export class GroupMsgRecordApi {
  constructor(private readonly http: WeComHttp) {}

  /** Every record in the window, following next_cursor (a cursor WeCom repeats is refused, not looped on). */
  async listAll(query: GroupMsgListQuery): Promise<GroupMsgRecord[]> {
    const out: GroupMsgRecord[] = [];
    const fetchPage = (cursor: string | undefined) =>
      this.http.post<WeComReply & { group_msg_list?: GroupMsgRecord[]; next_cursor?: string }>("externalcontact", LIST_PATH, {
        secret: "customer",
        body: {
          chat_type: query.chatType,
          start_time: query.startTime,
          end_time: query.endTime,
          ...(query.creator ? { creator: query.creator } : {}),
          filter_type: query.filterType ?? 2,
          limit: 100,
          ...(cursor ? { cursor } : {}),
        },
      });
    for await (const page of cursorPages(LIST_PATH, fetchPage, (p) => p.next_cursor || undefined)) out.push(...(page.group_msg_list ?? []));
    return out;
  }

  /** The members a 群发 task asks to send it, with whether each has (get_groupmsg_task), following next_cursor. */
  async taskMembers(msgid: string): Promise<GroupMsgTaskMember[]> {
    const out: GroupMsgTaskMember[] = [];
    const fetchPage = (cursor: string | undefined) =>
      this.http.post<WeComReply & { task_list?: GroupMsgTaskMember[]; next_cursor?: string }>("externalcontact", TASK_PATH, {
        secret: "customer",
        body: { msgid, limit: 1000, ...(cursor ? { cursor } : {}) },
      });
    for await (const page of cursorPages(TASK_PATH, fetchPage, (p) => p.next_cursor || undefined)) out.push(...(page.task_list ?? []));
    return out;
  }

  /**
   * The 群发 task an earlier add_msg_template call created, if WeCom has one: created by the company
   * (filter_type 0; create_type 0) since the attempt, with the same text, whose member list
   * (get_groupmsg_task) holds the same sender. add_msg_template creates a new task on every call (no
   * server-side dedupe, path/92135), so a caller whose answer was lost looks here before calling again.
   * Not filtered by `creator`: an API-created task has none (path/93338), so that filter would hide it.
   * The window is capped at the list's one-month span.
   */
  async findCreatedTask(q: CreatedTaskQuery): Promise<GroupMsgRecord | undefined> {
    const now = Math.floor(q.now.getTime() / 1000);
    const since = Math.floor(q.since.getTime() / 1000) - SKEW_SECONDS;
    const records = await this.listAll({
      chatType: q.chatType,
      startTime: Math.max(since, now - GROUP_MSG_LIST_MAX_SPAN_SECONDS + 60),
      endTime: now + 60,
      filterType: 0,
    });
    for (const record of records.filter((r) => r.create_type === 0 && r.text?.content === q.text)) {
      if ((await this.taskMembers(record.msgid)).some((t) => t.userid === q.sender)) return record;
    }
    return undefined;
  }
}
