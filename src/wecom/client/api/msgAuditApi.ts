import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export type AgreeStatus = "Agree" | "Disagree";

/**
 * WeCom's own spelling is `exteranalopenid`; one doc copy shows `external_userid`.
 * Replies are normalised so `exteranalopenid` is always set.
 */
export interface SingleAgreeInfo {
  userid: string;
  exteranalopenid: string;
  agree_status: AgreeStatus;
  status_change_time: number;
}

export interface RoomAgreeInfo {
  exteranalopenid: string;
  agree_status: AgreeStatus;
  status_change_time: number;
}

export interface ArchivedRoom {
  roomname: string;
  creator: string;
  room_create_time: number;
  notice: string;
  members: Array<{ memberid: string; jointime: number }>;
}

type RawAgree<T> = Omit<T, "exteranalopenid"> & { exteranalopenid?: string; external_userid?: string };

function normaliseAgree<T extends { exteranalopenid: string }>(raw: RawAgree<T>[] | undefined): T[] {
  return (raw ?? []).map(({ external_userid, ...rest }) => ({
    ...rest,
    exteranalopenid: rest.exteranalopenid ?? external_userid ?? "",
  })) as unknown as T[];
}

/** 会话存档 HTTP APIs (msgaudit/*), archive secret. The messages themselves come only from the native SDK. */
export class MsgAuditApi {
  constructor(private readonly http: WeComHttp) {}

  /** type: 1 办公版, 2 服务版, 3 企业版; omitted = all. */
  async getPermitUserList(type?: 1 | 2 | 3): Promise<string[]> {
    const reply = await this.http.post<WeComReply & { ids?: string[] }>(
      "msgaudit",
      "/cgi-bin/msgaudit/get_permit_user_list",
      { secret: "archive", body: type === undefined ? {} : { type } },
    );
    return reply.ids ?? [];
  }

  async checkSingleAgree(pairs: Array<{ userid: string; exteranalopenid: string }>): Promise<SingleAgreeInfo[]> {
    const reply = await this.http.post<WeComReply & { agreeinfo?: RawAgree<SingleAgreeInfo>[] }>(
      "msgaudit",
      "/cgi-bin/msgaudit/check_single_agree",
      { secret: "archive", body: { info: pairs } },
    );
    return normaliseAgree<SingleAgreeInfo>(reply.agreeinfo);
  }

  async checkRoomAgree(roomid: string): Promise<RoomAgreeInfo[]> {
    const reply = await this.http.post<WeComReply & { agreeinfo?: RawAgree<RoomAgreeInfo>[] }>(
      "msgaudit",
      "/cgi-bin/msgaudit/check_room_agree",
      { secret: "archive", body: { roomid } },
    );
    return normaliseAgree<RoomAgreeInfo>(reply.agreeinfo);
  }

  /** Errcode 301052 means the archive service has expired. */
  async groupchatGet(roomid: string): Promise<ArchivedRoom> {
    const { errcode: _e, errmsg: _m, ...room } = await this.http.post<WeComReply & ArchivedRoom>(
      "msgaudit",
      "/cgi-bin/msgaudit/groupchat/get",
      { secret: "archive", body: { roomid } },
    );
    return { ...room, members: room.members ?? [] };
  }
}
