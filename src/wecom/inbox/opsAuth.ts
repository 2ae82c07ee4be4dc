import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "koa";
import type { Guard } from "../../platform/http/guard";
import { AuthenticationError, AuthorizationError } from "../../platform/errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * `Authorization: Bearer <OPS_TOKEN>` for operator endpoints. Without a
 * configured token the endpoints stay closed (403) rather than open.
 */
export function opsTokenGuard(opsToken: string | undefined): Guard<"operator"> {
  const expected = opsToken ? digest(opsToken) : undefined;
  return {
    kind: "operator token",
    resolve: async (ctx: Context) => {
      if (!expected) throw new AuthorizationError("运维接口未启用");
      const match = /^Bearer (.+)$/.exec(ctx.get("Authorization"));
      if (!match) throw new AuthenticationError("缺少运维令牌");
      // Compare digests: equal length always, and constant time.
      if (!timingSafeEqual(digest(match[1]!), expected)) throw new AuthorizationError("运维令牌无效");
      return "operator";
    },
  };
}
