import { assertCountBetween, assertIntBetween } from "../limits";
import { cursorPages } from "../pagination";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export interface ExternalContact {
  external_userid: string;
  name: string;
  avatar?: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  gender?: number;
  unionid?: string;
  position?: string;
  corp_name?: string;
  corp_full_name?: string;
  external_profile?: unknown;
}

export interface FollowUserTag {
  group_name: string;
  tag_name: string;
  type: number;
  tag_id?: string;
}

export interface FollowUser {
  userid: string;
  remark?: string;
  description?: string;
  createtime: number;
  tags?: FollowUserTag[];
  remark_corp_name?: string;
  remark_mobiles?: string[];
  add_way?: number;
  oper_userid?: string;
  state?: string;
}

export interface ExternalContactDetail extends WeComReply {
  external_contact: ExternalContact;
  follow_user: FollowUser[];
  /** Present when the contact has more than 500 followers. */
  next_cursor?: string;
}

export interface FollowInfo extends Omit<FollowUser, "tags"> {
  tag_id?: string[];
}

export interface BatchGetByUserRequest {
  userid_list: string[];
  cursor?: string;
  /** 1–100, default 50. */
  limit?: number;
}

export interface BatchGetByUserResult extends WeComReply {
  external_contact_list: Array<{ external_contact: ExternalContact; follow_info: FollowInfo }>;
  /** Empty when finished. */
  next_cursor?: string;
}

const getPath = "/cgi-bin/externalcontact/get";
const batchPath = "/cgi-bin/externalcontact/batch/get_by_user";

/** Customers (externalcontact/get, list, batch/get_by_user), 客户联系 secret. */
export class ExternalContactApi {
  constructor(private readonly http: WeComHttp) {}

  get(externalUserid: string, cursor?: string): Promise<ExternalContactDetail> {
    return this.http.get<ExternalContactDetail>("externalcontact", getPath, {
      secret: "customer",
      query: { external_userid: externalUserid, cursor },
    });
  }

  /** The contact with every follower, following next_cursor past the first 500. */
  async getWithAllFollowers(externalUserid: string): Promise<ExternalContactDetail> {
    let first: ExternalContactDetail | undefined;
    const followers: FollowUser[] = [];
    for await (const page of cursorPages(getPath, (c) => this.get(externalUserid, c), (p) => p.next_cursor)) {
      first ??= page;
      followers.push(...(page.follow_user ?? []));
    }
    return { ...first!, follow_user: followers, next_cursor: undefined };
  }

  /**
   * Members in the 客户联系 range (配置了客户联系功能的成员列表): only they can take customers over.
   * GET /cgi-bin/externalcontact/get_follow_user_list → follow_user[] (WxJava WxCpApiPathConsts.GET_FOLLOW_USER_LIST;
   * reply shape: wechatpy tests/fixtures/work/externalcontact_get_follow_user_list.json).
   */
  async followUserList(): Promise<string[]> {
    const reply = await this.http.get<WeComReply & { follow_user?: string[] }>(
      "externalcontact",
      "/cgi-bin/externalcontact/get_follow_user_list",
      { secret: "customer" },
    );
    return reply.follow_user ?? [];
  }

  async list(userid: string): Promise<string[]> {
    const reply = await this.http.get<WeComReply & { external_userid?: string[] }>(
      "externalcontact",
      "/cgi-bin/externalcontact/list",
      { secret: "customer", query: { userid } },
    );
    return reply.external_userid ?? [];
  }

  async batchGetByUser(request: BatchGetByUserRequest): Promise<BatchGetByUserResult> {
    assertCountBetween("userid_list", request.userid_list, 1, 100);
    assertIntBetween("limit", request.limit, 1, 100);
    const reply = await this.http.post<BatchGetByUserResult>("externalcontact", batchPath, {
      secret: "customer",
      body: request,
    });
    return { ...reply, external_contact_list: reply.external_contact_list ?? [] };
  }

  batchGetByUserPages(userids: string[], limit = 100): AsyncGenerator<BatchGetByUserResult> {
    return cursorPages(
      batchPath,
      (cursor) => this.batchGetByUser({ userid_list: userids, cursor, limit }),
      (page) => page.next_cursor,
    );
  }
}
