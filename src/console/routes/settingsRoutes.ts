import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { can } from "../../org/policies/authorize";
import { validate } from "../../platform/http/validate";
import { sessionOf } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { AlertSettingsView, ApprovalChainView, ReminderPolicyView } from "../presenters/apiTypes";
import { branchChoices } from "../presenters/branchChoices";
import { csrfField } from "../views/layout";
import { ALERT_KINDS, branchListView, settingsView } from "../views/settingsViews";
import { redirectWith, renderPage, resultKey } from "./page";

const branch = z.object({ branchId: z.coerce.number().int().positive() });
/** Repeated form fields arrive as an array, a single one as a string. */
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
const userids = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,，、]+/).filter(Boolean) : v),
  z.array(z.string().max(64)).max(50),
);
const reminderForm = branch.extend({
  firstAfterHours: z.coerce.number(),
  everyHours: z.coerce.number(),
  escalateAfter: z.coerce.number(),
  quietStart: z.string(),
  quietEnd: z.string(),
  tz: z.string().default("Asia/Shanghai"),
});
const chainForm = branch.extend({ key: list, role: list, label: list, duties: list });
const alertForm = branch.extend({
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
export function settingsRoutes(deps: { dataSource: DataSource }): Router {
  const router = new Router({ prefix: "/console/settings" });

  router.get("/", async (ctx) => {
    renderPage(ctx, "设置", "settings", branchListView(await branchChoices(deps.dataSource, sessionOf(ctx).actor)));
  });

  router.get("/:branchId", validate(branch), async (ctx) => {
    const { branchId } = ctx.state.input as z.infer<typeof branch>;
    const session = sessionOf(ctx);
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
  });

  router.post("/:branchId/reminders", validate(reminderForm), async (ctx) => {
    const f = ctx.state.input as z.infer<typeof reminderForm>;
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/reminder-policy/${f.branchId}`, {
      firstAfterHours: f.firstAfterHours,
      everyHours: f.everyHours,
      escalateAfter: f.escalateAfter,
      quietHours: { start: f.quietStart, end: f.quietEnd, tz: f.tz },
    });
    redirectWith(ctx, `/console/settings/${f.branchId}`, "reminders_saved");
  });

  router.post("/:branchId/approval-chain", validate(chainForm), async (ctx) => {
    const f = ctx.state.input as z.infer<typeof chainForm>;
    // A row whose key and name are left empty is a removed (or the unused new) step.
    const chain = f.key
      .map((key, i) => ({ key: key.trim(), role: f.role[i] ?? "", label: (f.label[i] ?? "").trim(), duties: (f.duties[i] ?? "").split(/\r?\n/).map((d) => d.trim()).filter(Boolean) }))
      .filter((s) => s.key || s.label);
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/approval-chain/${f.branchId}`, { chain });
    redirectWith(ctx, `/console/settings/${f.branchId}`, "chain_saved");
  });

  router.post("/:branchId/alerts", validate(alertForm), async (ctx) => {
    const f = ctx.state.input as z.infer<typeof alertForm>;
    const api = ConsoleApi.for(ctx);
    let rules: unknown;
    try {
      rules = JSON.parse(f.rules);
    } catch {
      rules = undefined;
    }
    if (typeof rules !== "object" || rules === null || Array.isArray(rules)) {
      redirectWith(ctx, `/console/settings/${f.branchId}`, "rules_invalid_json");
      return;
    }
    // The robot key is shown masked; an empty field keeps the stored one.
    const current = f.webhookKey || f.clearWebhook ? undefined : await api.find<AlertSettingsView>(`/api/hr/alert-settings/${f.branchId}`);
    const webhookKey = f.clearWebhook ? undefined : f.webhookKey || current?.notifier.webhookKey;
    const checked = new Set(f.route);
    const routes = Object.fromEntries(
      ALERT_KINDS.map(({ kind }) => [kind, { webhook: checked.has(`${kind}:webhook`), app: checked.has(`${kind}:app`), digest: checked.has(`${kind}:digest`) }]),
    );
    await api.send("PUT", `/api/hr/alert-settings/${f.branchId}`, {
      rules,
      notifier: { ...(webhookKey ? { webhookKey } : {}), mentionUserIds: f.mentionUserIds, hrUserIds: f.hrUserIds, routes },
    });
    redirectWith(ctx, `/console/settings/${f.branchId}`, "alerts_saved");
  });
  return router;
}
