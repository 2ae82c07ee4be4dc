import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import type { ActionDeps } from "../actions/alertActions";
import { unfreezeAccount } from "../actions/unfreezeAccount";

const unfreezeSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,18}$/), reason: z.string().trim().min(1, "请填写解除冻结的原因").max(500) });

/** POST /api/hr/alerts/:id/unfreeze — the undo of the freeze. */
export function unfreezeRoutes(deps: ActionDeps & { dataSource: DataSource; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/hr" });
  router.post("/alerts/:id/unfreeze", deps.auth, jsonBody(), validate(unfreezeSchema), async (ctx: Context) => {
    const { id, reason } = ctx.state.input as z.infer<typeof unfreezeSchema>;
    ctx.body = await deps.dataSource.transaction((m) => unfreezeAccount(m, deps, ctx.state.actor as Actor, id, reason, "console"));
  });
  return router;
}
