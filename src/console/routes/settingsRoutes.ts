import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { can } from "../../org/policies/authorize";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { AlertSettingsView, ApprovalChainView, ReminderPolicyView } from "../presenters/apiTypes";
import { branchChoices } from "../presenters/branchChoices";
import { csrfField } from "../views/layout";
import { ALERT_KINDS, branchListView, settingsView } from "../views/settingsViews";
import { pageForm, redirectWith, renderPage, resultKey } from "./page";

const branch = z.object({ branchId: z.coerce.number().int().positive() });
/** Repeated form fields arrive as an array, a single one as a string. */
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
const userids = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,，、]+/).filter(Boolean) : v),
  z.array(z.string().max(64)).max(50),
);
const reminderForm = z.object({
  firstAfterHours: z.coerce.number(),
  everyHours: z.coerce.number(),
  escalateAfter: z.coerce.number(),
  quietStart: z.string(),
  quietEnd: z.string(),
  tz: z.string().default("Asia/Shanghai"),
});
const chainForm = z.object({ key: list, role: list, label: list, duties: list });
const alertForm = z.object({
  webhookKey: z.string().trim().max(200).default(""),
  clearWebhook: z.string().optional(),
  mentionUserIds: userids,
  hrUserIds: userids,
  route: list,
  rules: z.string().trim().max(200_000),
});

/**
 * Branch settings: reminder policy, approval chain, alert channels and rules.
 * Forms are rendered over the owning capabilities' APIs, which authorize
 * (HR of the branch or HQ changes; campus heads only read) and validate.
 */
export function settingsRoutes(deps: { dataSource: DataSource; guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/settings" });
  const route = routeChain(router);
  const auth = deps.guard;
  const form = { auth, params: branch, bodyParser: pageForm };

  route.get("/", {
    auth,
    list: "branch",
    handle: async ({ ctx, actor }) => {
      renderPage(ctx, "设置", "settings", branchListView(await branchChoices(deps.dataSource, actor.actor)));
    },
  });

  route.get("/:branchId", { auth, params: branch, handle: async ({ ctx, actor: session, params: { branchId } }) => {
    const api = ConsoleApi.for(ctx);
    const [reminders, chain, alerts, choices] = await Promise.all([
      api.get<ReminderPolicyView>(`/api/hr/reminder-policy/${branchId}`),
      api.get<ApprovalChainView>(`/api/hr/approval-chain/${branchId}`),
      api.find<AlertSettingsView>(`/api/hr/alert-settings/${branchId}`),
      branchChoices(deps.dataSource, session.actor),
    ]);
    const choice = choices.find((c) => c.id === branchId);
    // Same policy as the APIs' PUTs: a page whose save would be refused shows no save buttons.
    const editable = choice !== undefined && can(session.actor, "update", { kind: "branch", departmentPath: choice.path });
    renderPage(ctx, `设置 · ${choice?.name ?? branchId}`, "settings", settingsView(branchId, { reminders, chain, alerts }, { editable, result: resultKey(ctx), csrf: csrfField(session) }));
  } });

  route.post("/:branchId/reminders", { ...form, body: reminderForm, handle: async ({ ctx, params: { branchId }, body: f }) => {
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/reminder-policy/${branchId}`, {
      firstAfterHours: f.firstAfterHours,
      everyHours: f.everyHours,
      escalateAfter: f.escalateAfter,
      quietHours: { start: f.quietStart, end: f.quietEnd, tz: f.tz },
    });
    redirectWith(ctx, `/console/settings/${branchId}`, "reminders_saved");
  } });

  route.post("/:branchId/approval-chain", { ...form, body: chainForm, handle: async ({ ctx, params: { branchId }, body: f }) => {
    // A row whose key and name are left empty is a removed (or the unused new) step.
    const chain = f.key
      .map((key, i) => ({ key: key.trim(), role: f.role[i] ?? "", label: (f.label[i] ?? "").trim(), duties: (f.duties[i] ?? "").split(/\r?\n/).map((d) => d.trim()).filter(Boolean) }))
      .filter((s) => s.key || s.label);
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/approval-chain/${branchId}`, { chain });
    redirectWith(ctx, `/console/settings/${branchId}`, "chain_saved");
  } });

  // The rules arrive as one JSON text of up to 200,000 characters.
  route.post("/:branchId/alerts", { ...form, body: alertForm, limits: { body: 200_000 }, handle: async ({ ctx, params: { branchId }, body: f }) => {
    const api = ConsoleApi.for(ctx);
    let rules: unknown;
    try {
      rules = JSON.parse(f.rules);
    } catch {
      rules = undefined;
    }
    if (typeof rules !== "object" || rules === null || Array.isArray(rules)) {
      redirectWith(ctx, `/console/settings/${branchId}`, "rules_invalid_json");
      return;
    }
    // The robot key is shown masked; an empty field keeps the stored one.
    const current = f.webhookKey || f.clearWebhook ? undefined : await api.find<AlertSettingsView>(`/api/hr/alert-settings/${branchId}`);
    const webhookKey = f.clearWebhook ? undefined : f.webhookKey || current?.notifier.webhookKey;
    const checked = new Set(f.route);
    const routes = Object.fromEntries(
      ALERT_KINDS.map(({ kind }) => [kind, { webhook: checked.has(`${kind}:webhook`), app: checked.has(`${kind}:app`), digest: checked.has(`${kind}:digest`) }]),
    );
    await api.send("PUT", `/api/hr/alert-settings/${branchId}`, {
      rules,
      notifier: { ...(webhookKey ? { webhookKey } : {}), mentionUserIds: f.mentionUserIds, hrUserIds: f.hrUserIds, routes },
    });
    redirectWith(ctx, `/console/settings/${branchId}`, "alerts_saved");
  } });
  return router;
}
