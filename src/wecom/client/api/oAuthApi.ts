import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

/** A member has `userid` (and `user_ticket` for sensitive fields); a non-member gets `openid`/`external_userid`. */
export interface OAuthUserInfo {
  userid?: string;
  user_ticket?: string;
  openid?: string;
  external_userid?: string;
}

/** Web OAuth (auth/getuserinfo), agent secret: turns the redirect's code into who is signing in. */
export class OAuthApi {
  constructor(private readonly http: WeComHttp) {}

  async getUserInfo(code: string): Promise<OAuthUserInfo> {
    const { userid, user_ticket, openid, external_userid } = await this.http.get<WeComReply & OAuthUserInfo>(
      "oauth",
      "/cgi-bin/auth/getuserinfo",
      { secret: "agent", query: { code } },
    );
    return { userid, user_ticket, openid, external_userid };
  }
}
