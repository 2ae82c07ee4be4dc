import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import type { SecretKind } from "../state/types";
import type { SandboxRoute } from "./route";

export function tokenRoutes(core: SandboxCore): SandboxRoute[] {
  const { corp, tokens } = core;
  const kindOfSecret = new Map<string, SecretKind>([
    [corp.agentSecret, "agent"],
    [corp.contactSecret, "contact"],
    [corp.customerSecret, "customer"],
    [corp.archiveSecret, "archive"],
  ]);
  return [
    {
      method: "GET",
      path: "/cgi-bin/gettoken",
      grants: "public",
      handle: ({ query }) => {
        if (query.corpid !== corp.corpId) throw new SandboxApiError(ERR.invalidCorpId, "invalid corpid");
        const kind = kindOfSecret.get(query.corpsecret ?? "");
        if (!kind) throw new SandboxApiError(ERR.invalidSecret, "invalid credential, access_token is invalid or not latest");
        const { token, expiresIn } = tokens.issue(kind);
        return { access_token: token, expires_in: expiresIn };
      },
    },
  ];
}
