import { randomBytes } from "node:crypto";
import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { AGENT, type SandboxRoute } from "./route";

/** Mini-program login (jscode2session) and web OAuth (auth/getuserinfo): single-use codes. */
export function loginRoutes(core: SandboxCore): SandboxRoute[] {
  const { corp, codes, devTools, logger } = core;
  return [
    {
      method: "GET",
      path: "/cgi-bin/miniprogram/jscode2session",
      grants: AGENT,
      handle: ({ query }) => {
        if (query.grant_type !== "authorization_code") throw new SandboxApiError(ERR.invalidParameter, "invalid grant_type");
        // path/91507 (self-built app's code2Session; the same reply on path/96959): GET with access_token, js_code,
        // grant_type=authorization_code → corpid, userid, session_key; a code it did not issue → 40029 invalid code.
        const code = query.js_code ?? "";
        const userid = codes.miniProgram.consume(code) ?? (code && !codes.miniProgram.issuedHere(code) ? devTools?.redeem(code) : undefined);
        if (!userid) {
          if (devTools && code && !codes.miniProgram.issuedHere(code) && !devTools.signsInAs) {
            logger.warn({ page: "/sandbox/devtools-login" }, "jscode2session: a login code the sandbox did not issue (WeChat DevTools?) and no member chosen for it: choose one on the sandbox page or set SANDBOX_DEVTOOLS_USER");
          }
          throw new SandboxApiError(ERR.invalidCode, "invalid code");
        }
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
