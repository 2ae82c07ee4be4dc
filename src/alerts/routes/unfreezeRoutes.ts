import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { loadAuthorizedAlert, type ActionDeps } from "../actions/alertActions";
import { unfreezeAlert } from "../actions/unfreezeAccount";
import { alertIdSchema } from "./schema";

const unfreezeBody = z.object({ reason: z.string().trim().min(1, "请填写解除冻结的原因").max(500) });

/** POST /api/hr/alerts/:id/unfreeze — the undo of the freeze, under the freeze's policy. */
export function unfreezeRoutes(deps: ActionDeps & { dataSource: DataSource; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/hr" });
  routeChain(router, { dataSource: deps.dataSource }).post("/alerts/:id/unfreeze", {
    auth: deps.auth,
    params: alertIdSchema,
    body: unfreezeBody,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedAlert(manager, actor, "freeze", params.id, { lock: true }),
    handle: ({ manager, actor, resource, body }) => unfreezeAlert(manager, deps, actor, resource, body.reason, "console"),
  });
  return router;
}
