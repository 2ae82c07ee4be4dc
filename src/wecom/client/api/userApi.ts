import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

/** 1 active, 2 disabled, 4 not activated, 5 quit. */
export type UserStatus = 1 | 2 | 4 | 5;

/**
 * Since 2022-06-20 new self-built apps no longer get avatar, gender, mobile, email, biz_mail,
 * qr_code or address, so those are optional.
 */
export interface WeComUser {
  userid: string;
  name: string;
  department: number[];
  order?: number[];
  position?: string;
  mobile?: string;
  gender?: string;
  email?: string;
  biz_mail?: string;
  is_leader_in_dept?: number[];
  direct_leader?: string[];
  avatar?: string;
  telephone?: string;
  alias?: string;
  status: UserStatus;
  main_department?: number;
  open_userid?: string;
  extattr?: unknown;
  external_profile?: unknown;
}

export interface SimpleUser {
  userid: string;
  name: string;
  department: number[];
  open_userid?: string;
}

export interface UserUpdate {
  userid: string;
  /** 1 enable, 0 disable. */
  enable?: 0 | 1;
  name?: string;
  position?: string;
  department?: number[];
  main_department?: number;
  alias?: string;
  direct_leader?: string[];
}

type UserReply = WeComReply & WeComUser;

/** Members (user/*). Reads use the agent secret; writes need the 通讯录同步 secret. */
export class UserApi {
  constructor(private readonly http: WeComHttp) {}

  async get(userid: string): Promise<WeComUser> {
    const { errcode: _e, errmsg: _m, ...user } = await this.http.get<UserReply>("user", "/cgi-bin/user/get", {
      secret: "agent",
      query: { userid },
    });
    return user;
  }

  /**
   * Throws MissingSecretError (before any call) when WECOM_CONTACT_SECRET is unset,
   * so the caller can file an IT task instead.
   */
  async update(update: UserUpdate): Promise<void> {
    await this.http.post("user", "/cgi-bin/user/update", { secret: "contact", body: update });
  }

  /**
   * Direct members of one department. user/simplelist and user/list take department_id only; the old
   * fetch_child parameter is no longer honoured (developer.work.weixin.qq.com/document/path/96259,
   * path/96260), so it is not sent: walk the departments instead.
   */
  async simplelist(departmentId: number): Promise<SimpleUser[]> {
    const reply = await this.http.get<WeComReply & { userlist?: SimpleUser[] }>("user", "/cgi-bin/user/simplelist", {
      secret: "agent",
      query: { department_id: departmentId },
    });
    return reply.userlist ?? [];
  }

  /** Direct members of one department with details (path/96260); see simplelist on fetch_child. */
  async list(departmentId: number): Promise<WeComUser[]> {
    const reply = await this.http.get<WeComReply & { userlist?: WeComUser[] }>("user", "/cgi-bin/user/list", {
      secret: "agent",
      query: { department_id: departmentId },
    });
    return reply.userlist ?? [];
  }
}
