import { randomBytes } from "node:crypto";
import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { AGENT, type SandboxRoute } from "./route";

/** Mini-program login (jscode2session) and web OAuth (auth/getuserinfo): single-use codes. */
export function loginRoutes(core: SandboxCore): SandboxRoute[] {
  const { corp, codes } = core;
  return [
    {
      method: "GET",
      path: "/cgi-bin/miniprogram/jscode2session",
      grants: AGENT,
      handle: ({ query }) => {
        if (query.grant_type !== "authorization_code") throw new SandboxApiError(ERR.invalidParameter, "invalid grant_type");
        const userid = codes.miniProgram.consume(query.js_code);
        if (!userid) throw new SandboxApiError(ERR.invalidCode, "invalid code");
        return { corpid: corp.corpId, userid, session_key: randomBytes(16).toString("base64") };
      },
    },
    {
      method: "GET",
      path: "/cgi-bin/auth/getuserinfo",
      grants: AGENT,
      handle: ({ query }) => {
        const userid = codes.oauth.consume(query.code);
        if (!userid) throw new SandboxApiError(ERR.invalidCode, "invalid code");
        // A member's reply is the userid alone: user_ticket comes only with scope snsapi_privateinfo (path/96442),
        // and the sandbox's pages issue snsapi_base and Web-login codes (path/98177: userid only).
        return { userid };
      },
    },
  ];
}
