import Router from "@koa/router";
import type { Middleware } from "koa";
import { validate } from "../../platform/http/validate";
import { ConversationReads, type ConversationReadDeps } from "../queries/conversationReads";
import {
  exportSchema,
  parentThreadsSchema,
  searchSchema,
  staffThreadsSchema,
  threadSchema,
  type ExportInput,
  type ParentThreadsInput,
  type SearchInput,
  type StaffThreadsInput,
  type ThreadInput,
} from "./schema";

/**
 * The conversation mirror for the HR console: threads of a staff member or a
 * parent, one thread, keyword search within one scope, exports. Policy checks
 * and the access log live in ConversationReads.
 */
export function conversationRoutes(deps: ConversationReadDeps & { auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/conversations" });
  const reads = (ctx: { state: { actor: ConstructorParameters<typeof ConversationReads>[1] } }) => new ConversationReads(deps, ctx.state.actor);

  router.get("/staff/:userid", deps.auth, validate(staffThreadsSchema), async (ctx) => {
    ctx.body = await reads(ctx).staffThreads(ctx.state.input as StaffThreadsInput);
  });
  router.get("/parents/:externalUserid", deps.auth, validate(parentThreadsSchema), async (ctx) => {
    ctx.body = await reads(ctx).parentThreads(ctx.state.input as ParentThreadsInput);
  });
  router.get("/threads", deps.auth, validate(threadSchema), async (ctx) => {
    ctx.body = await reads(ctx).thread(ctx.state.input as ThreadInput);
  });
  router.get("/search/status", deps.auth, async (ctx) => {
    ctx.body = await reads(ctx).searchIndexStatus();
  });
  router.get("/search", deps.auth, validate(searchSchema), async (ctx) => {
    ctx.body = await reads(ctx).search(ctx.state.input as SearchInput);
  });
  router.get("/export", deps.auth, validate(exportSchema), async (ctx) => {
    const file = await reads(ctx).export(ctx.state.input as ExportInput);
    ctx.set("Content-Disposition", `attachment; filename="${file.filename}"`);
    ctx.set("Cache-Control", "no-store");
    ctx.type = file.contentType;
    ctx.body = file.body;
  });
  return router;
}
