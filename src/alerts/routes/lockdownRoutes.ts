import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { authorize } from "../../org/policies/authorize";
import type { Clock } from "../../platform/clock";
import { NotFoundError } from "../../platform/errors";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { loadAllLockdownSettings, saveLockdownSettings } from "../lockdown/lockdownStore";
import { branchIdSchema } from "./schema";

const saveLockdownSchema = branchIdSchema.extend({ settings: z.record(z.string(), z.unknown()) });

/**
 * Per-branch leaver lockdown settings (the leaver intercept rule, automatic
 * freeze on a leaver's group send, the disable hour, successor contact
 * days): HR of the subtree sets them, campus heads read them — the same
 * branch policy as the risk-rule settings.
 */
export function lockdownRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware; onChanged(): void }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  const input = <T>(ctx: Context) => ctx.state.input as T;

  async function pathOf(departmentId: number): Promise<number[]> {
    const [row] = await dataSource.query(`SELECT path FROM department WHERE id = $1`, [departmentId]);
    if (!row) throw new NotFoundError("部门不存在");
    return row.path;
  }

  router.get("/lockdown-settings/:branchId", deps.auth, validate(branchIdSchema), async (ctx) => {
    const { branchId } = input<{ branchId: number }>(ctx);
    authorize(actorOf(ctx), "read", { kind: "branch", departmentPath: await pathOf(branchId) });
    const saved = (await loadAllLockdownSettings(dataSource.manager)).get(branchId);
    if (!saved) throw new NotFoundError("该校区尚未配置离职管控");
    ctx.body = { branchId, settings: saved.settings, version: saved.version };
  });

  router.put("/lockdown-settings/:branchId", deps.auth, jsonBody(), validate(saveLockdownSchema), async (ctx) => {
    const body = input<{ branchId: number; settings: unknown }>(ctx);
    const actor = actorOf(ctx);
    authorize(actor, "update", { kind: "branch", departmentPath: await pathOf(body.branchId) });
    const saved = await dataSource.transaction((m) => saveLockdownSettings(m, body.branchId, body.settings, actor.userid, deps.clock.now()));
    deps.onChanged();
    ctx.body = { branchId: saved.branchId, settings: saved.settings, version: saved.version, message: "离职管控设置已保存，企业微信拦截规则将在一分钟内同步" };
  });

  return router;
}
