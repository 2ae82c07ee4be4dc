import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { jsonBody } from "../../platform/http/jsonBody";
import { routeChain } from "../../platform/http/route";
import { decodeSignature } from "../commands/signatureImage";
import { signNoticeSchema } from "../schema";
import { currentWorkRules, signWorkRules } from "../workRules/workRules";

/** The notice's signing body, plus the fingerprint of the text the member read. */
const signWorkRulesSchema = signNoticeSchema.extend({ documentSha256: z.string().regex(/^[0-9a-f]{64}$/, "文书指纹无效") });

/**
 * The member's own work-account rules in the mini-program: read them, sign them. Only ever the caller's own
 * (the session's WeCom identity), so there is no other member's record to authorize.
 */
export function workRulesRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; archiveRetentionDays: number }): Router {
  const router = new Router({ prefix: "/api/mp/work-rules" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  route.get("/", {
    auth: deps.auth,
    handle: async ({ actor, manager }) => ({ workRules: await currentWorkRules(manager, actor.userid, deps.clock.now(), deps.archiveRetentionDays) }),
  });
  route.post("/sign", {
    auth: deps.auth,
    body: signWorkRulesSchema,
    bodyParser: jsonBody("400kb"),
    // The signature image is a PNG data URL.
    limits: { body: 400_000 },
    transaction: true,
    handle: async ({ ctx, actor, manager, body }) => {
      const signature = decodeSignature(body.typedName, body.signatureImage, body.confirm);
      const device = { ...body.device, userAgent: ctx.get("user-agent") || undefined, ip: ctx.ip };
      return { workRules: await signWorkRules(manager, deps.clock.now(), actor.userid, signature, device, body.documentSha256, deps.archiveRetentionDays) };
    },
  });
  return router;
}
