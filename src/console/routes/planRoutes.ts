import Router from "@koa/router";
import type { Context } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { staffByName } from "../../org";
import { AppError, ValidationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { PlanView } from "../presenters/apiTypes";
import type { BoardRow, Candidate } from "../presenters/handoverTypes";
import { Names } from "../presenters/names";
import { csrfField } from "../views/layout";
import { pickerValue, planView, type PlanPage } from "../views/planView";
import { pageForm, redirectWith, renderPage, resultKey } from "./page";

const userid = z.string().min(1).max(64);
const leaverParams = z.object({ leaver: userid });
const pageQuery = z.object({ class: z.string().max(128).optional(), changed: z.string().max(128).optional(), result: z.string().max(64).optional() });
const reassignForm = z.object({
  scope: z.enum(["parent", "class", "group"]),
  target: z.string().trim().min(1).max(128),
  successor: z.string().trim().min(1, "请填写接替老师的姓名").max(128),
});

/** The successor plan of one leaver: counts per successor, the transfer board, reassign by name (parent / class / group), confirm. */
export function planRoutes(deps: { dataSource: DataSource; guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/handover/:leaver" });
  const route = routeChain(router);
  const auth = deps.guard;
  const apiPath = (leaver: string) => `/api/handover/reassignments/${encodeURIComponent(leaver)}`;
  const pagePath = (leaver: string) => `/console/handover/${encodeURIComponent(leaver)}`;

  async function loadPage(api: ConsoleApi, leaver: string): Promise<PlanPage> {
    const plan = (await api.find<{ data: PlanView }>(`${apiPath(leaver)}/plan`))?.data;
    const [candidates, board] = plan
      ? await Promise.all([
          api.get<{ data: Candidate[] }>(`${apiPath(leaver)}/candidates`).then((r) => r.data),
          api.get<{ data: BoardRow[] }>(`${apiPath(leaver)}/board`).then((r) => r.data),
        ])
      : [[], []];
    const items = plan?.items ?? [];
    const names = await Names.load(deps.dataSource, {
      people: [
        leaver,
        ...items.flatMap((i) => (i.successorUserid ? [i.successorUserid] : [])),
        ...items.filter((i) => i.kind === "group").map((i) => i.id),
        ...board.flatMap((b) => [...(b.successorUserid ? [b.successorUserid] : []), ...(b.followUp?.ownerUserids ?? [])]),
      ],
      parents: items.filter((i) => i.kind === "parent").map((i) => i.id),
      classes: items.flatMap((i) => i.classCodes),
    });
    return { leaverName: names.of(leaver, "该员工"), plan, candidates, board, names };
  }

  const show = async (ctx: Context, session: ConsoleSession, leaver: string, opts: { classFilter?: string; changed?: string; error?: string }) => {
    const page = await loadPage(ConsoleApi.for(ctx), leaver);
    renderPage(ctx, `接替方案 · ${page.leaverName}`, "cases", planView(leaver, page, { ...opts, result: resultKey(ctx), csrf: csrfField(session) }));
  };

  route.get("/", {
    auth,
    params: leaverParams,
    query: pageQuery,
    handle: async ({ ctx, actor, params: { leaver }, query }) => {
      await show(ctx, actor, leaver, { ...(query.class ? { classFilter: query.class } : {}), ...(query.changed ? { changed: query.changed } : {}) });
    },
  });

  route.post("/prepare", {
    auth,
    params: leaverParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, params: { leaver } }) => {
      await ConsoleApi.for(ctx).send("POST", `${apiPath(leaver)}/plan`);
      redirectWith(ctx, pagePath(leaver), "prepared");
    },
  });

  /** A successor typed by name; a refusal (unknown name, another campus, leaving…) is answered on the plan page with its reason and a 4xx. */
  route.post("/reassign", {
    auth,
    params: leaverParams,
    body: reassignForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params: { leaver }, body: { scope, target, successor } }) => {
      const api = ConsoleApi.for(ctx);
      const key = scope === "parent" ? "parents" : scope === "class" ? "classes" : "groups";
      try {
        const pick = await resolveSuccessor(api, deps.dataSource, leaver, successor);
        await api.send("PUT", `${apiPath(leaver)}/plan/overrides`, { [key]: { [target]: pick } });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 401) throw err;
        ctx.status = err.status;
        await show(ctx, actor, leaver, { error: `未改派：${err.message}` });
        return;
      }
      redirectWith(ctx, scope === "class" ? pagePath(leaver) : `${pagePath(leaver)}?${new URLSearchParams({ changed: target })}`, "reassigned");
    },
  });

  route.post("/confirm", {
    auth,
    params: leaverParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, params: { leaver } }) => {
      await ConsoleApi.for(ctx).send("POST", `${apiPath(leaver)}/plan/confirm`);
      redirectWith(ctx, pagePath(leaver), "confirmed");
    },
  });
  return router;
}

/**
 * The userid behind what HR typed: a candidate's picker text or name, else
 * (so the API can say why they cannot inherit) any staff member of that name.
 */
async function resolveSuccessor(api: ConsoleApi, dataSource: DataSource, leaver: string, typed: string): Promise<string> {
  const { data: candidates } = await api.get<{ data: Candidate[] }>(`/api/handover/reassignments/${encodeURIComponent(leaver)}/candidates`);
  const exact = candidates.filter((c) => pickerValue(c, candidates) === typed || c.userid === typed);
  if (exact.length === 1) return exact[0]!.userid;
  const byName = candidates.filter((c) => c.name === typed);
  if (byName.length === 1) return byName[0]!.userid;
  if (byName.length > 1) throw new ValidationError(`有 ${byName.length} 位老师叫“${typed}”，请从列表中选择带校区的一项`);
  const anyone = await staffByName(dataSource.manager, typed);
  if (anyone.length === 0) throw new ValidationError(`没有找到名为“${typed}”的员工，请从列表中选择`);
  return anyone[0]!;
}
