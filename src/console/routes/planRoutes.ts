import Router from "@koa/router";
import { z } from "zod";
import { validate } from "../../platform/http/validate";
import { sessionOf } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { PlanView } from "../presenters/apiTypes";
import { csrfField } from "../views/layout";
import { planView } from "../views/planView";
import { redirectWith, renderPage, resultKey } from "./page";

const userid = z.string().min(1).max(64);
const leaverParams = z.object({ leaver: userid });
const pageQuery = leaverParams.extend({ class: z.string().max(128).optional() });
const reassignSchema = leaverParams.extend({
  scope: z.enum(["parent", "class", "group"]),
  target: z.string().trim().min(1).max(128),
  successor: userid,
});

/** The successor plan of one leaver: counts per successor, reassign by parent / class / group, confirm. */
export function planRoutes(): Router {
  const router = new Router({ prefix: "/console/handover/:leaver" });
  const apiPath = (leaver: string) => `/api/handover/reassignments/${encodeURIComponent(leaver)}`;

  router.get("/", validate(pageQuery), async (ctx) => {
    const { leaver, class: classFilter } = ctx.state.input as z.infer<typeof pageQuery>;
    const plan = await ConsoleApi.for(ctx).find<{ data: PlanView }>(`${apiPath(leaver)}/plan`);
    renderPage(ctx, `接替方案 · ${leaver}`, "cases", planView(leaver, plan?.data, { classFilter, result: resultKey(ctx), csrf: csrfField(sessionOf(ctx)) }));
  });

  router.post("/prepare", validate(leaverParams), async (ctx) => {
    const { leaver } = ctx.state.input as { leaver: string };
    await ConsoleApi.for(ctx).send("POST", `${apiPath(leaver)}/plan`);
    redirectWith(ctx, `/console/handover/${encodeURIComponent(leaver)}`, "prepared");
  });

  router.post("/reassign", validate(reassignSchema), async (ctx) => {
    const { leaver, scope, target, successor } = ctx.state.input as z.infer<typeof reassignSchema>;
    const key = scope === "parent" ? "parents" : scope === "class" ? "classes" : "groups";
    await ConsoleApi.for(ctx).send("PUT", `${apiPath(leaver)}/plan/overrides`, { [key]: { [target]: successor } });
    redirectWith(ctx, `/console/handover/${encodeURIComponent(leaver)}`, "reassigned");
  });

  router.post("/confirm", validate(leaverParams), async (ctx) => {
    const { leaver } = ctx.state.input as { leaver: string };
    await ConsoleApi.for(ctx).send("POST", `${apiPath(leaver)}/plan/confirm`);
    redirectWith(ctx, `/console/handover/${encodeURIComponent(leaver)}`, "confirmed");
  });
  return router;
}
