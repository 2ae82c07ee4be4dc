import Router from "@koa/router";
import type { Actor } from "../../org";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { ConversationReads, type ConversationReadDeps } from "../queries/conversationReads";
import { attachmentDisposition } from "../queries/mediaDownload";
import { exportSchema, mediaParams, mediaQuery, parentParams, searchSchema, staffParams, threadListQuery, threadSchema } from "./schema";

/**
 * The conversation mirror for the HR console: threads of a staff member or a
 * parent, one thread, keyword search within one scope, exports. Policy checks
 * and the access log live in ConversationReads, which authorizes exactly the
 * subject it reads.
 */
export function conversationRoutes(deps: ConversationReadDeps & { auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/conversations" });
  const route = routeChain(router);
  const reads = (actor: Actor) => new ConversationReads(deps, actor);

  route.get("/staff/:userid", {
    auth: deps.auth,
    params: staffParams,
    query: threadListQuery,
    list: "conversation",
    handle: ({ actor, params, query }) => reads(actor).staffThreads({ ...query, userid: params.userid }),
  });
  route.get("/parents/:externalUserid", {
    auth: deps.auth,
    params: parentParams,
    query: threadListQuery,
    list: "conversation",
    handle: ({ actor, params, query }) => reads(actor).parentThreads({ ...query, externalUserid: params.externalUserid }),
  });
  route.get("/threads", {
    auth: deps.auth,
    query: threadSchema,
    handle: ({ actor, query }) => reads(actor).thread(query),
  });
  route.get("/search/status", {
    auth: deps.auth,
    handle: ({ actor }) => reads(actor).searchIndexStatus(),
  });
  route.get("/search", {
    auth: deps.auth,
    query: searchSchema,
    list: "conversation",
    handle: ({ actor, query }) => reads(actor).search(query),
  });
  route.get("/export", {
    auth: deps.auth,
    query: exportSchema,
    handle: async ({ actor, query, ctx }) => {
      const file = await reads(actor).export(query);
      ctx.set("Content-Disposition", `attachment; filename="${file.filename}"`);
      ctx.set("Cache-Control", "no-store");
      ctx.type = file.contentType;
      ctx.body = file.body;
    },
  });
  route.get("/media/:msgid", {
    auth: deps.auth,
    params: mediaParams,
    query: mediaQuery,
    handle: async ({ actor, params, query, ctx }) => {
      const file = await reads(actor).media({ msgid: params.msgid, part: query.part });
      ctx.set("Content-Disposition", attachmentDisposition(file.filename));
      ctx.set("Cache-Control", "no-store");
      ctx.set("X-Content-Type-Options", "nosniff");
      ctx.type = file.contentType;
      ctx.body = file.body;
    },
  });
  return router;
}
