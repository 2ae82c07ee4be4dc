import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export interface MiniProgramSession {
  corpid: string;
  userid: string;
  /** Never log or send to the client. */
  session_key: string;
}

/**
 * Mini-program login (wx.qy.login code → session). Uses the token of the app the mini-program
 * is associated with, i.e. the agent secret. 40029 = invalid or used code.
 */
export class MiniProgramApi {
  constructor(private readonly http: WeComHttp) {}

  async jscode2session(code: string): Promise<MiniProgramSession> {
    const { corpid, userid, session_key } = await this.http.get<WeComReply & MiniProgramSession>(
      "miniprogram",
      "/cgi-bin/miniprogram/jscode2session",
      { secret: "agent", query: { js_code: code, grant_type: "authorization_code" } },
    );
    return { corpid, userid, session_key };
  }
}
