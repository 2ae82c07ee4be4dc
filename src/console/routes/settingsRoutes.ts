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
import { Names } from "../presenters/names";
import { resolveNames, resolvePerson } from "../presenters/peopleByName";
import { rulesFromForm } from "../presenters/riskRulesForm";
import { AppError } from "../../platform/errors";
import type { Context } from "koa";
import { redirectWith, renderPage, resultKey } from "./page";

const branch = z.object({ branchId: z.coerce.number().int().positive() });
/** Repeated form fields arrive as an array, a single one as a string. */
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
/** People typed by name, separated by 、 or commas. */
const people = z.preprocess(
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
const alertForm = branch
  .extend({
    webhookKey: z.string().trim().max(200).default(""),
    clearWebhook: z.string().optional(),
    mentionUserIds: people,
    hrUserIds: people,
    route: list,
  })
  .passthrough();

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
    await show(ctx, branchId);
  });

  async function show(ctx: Context, branchId: number, error?: string): Promise<void> {
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
    const rules = (alerts?.rules ?? {}) as { sensitive?: { auditorUserId?: string }[] } & Record<string, { auditorUserId?: string } | undefined>;
    const names = await Names.load(deps.dataSource, {
      people: [
        ...(alerts?.notifier.mentionUserIds ?? []),
        ...(alerts?.notifier.hrUserIds ?? []),
        ...["massMessaging", "massDeletion", "parentLeft", "afterLastDay"].flatMap((k) => (rules[k]?.auditorUserId ? [rules[k]!.auditorUserId!] : [])),
        ...(rules.sensitive ?? []).flatMap((r) => (r.auditorUserId ? [r.auditorUserId] : [])),
      ],
    });
    const title = `设置 · ${choice?.name ?? "校区"}`;
    renderPage(ctx, title, "settings", settingsView(branchId, { reminders, chain, alerts }, { editable, result: resultKey(ctx), ...(error ? { error } : {}), csrf: csrfField(session), names }));
  }

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
    // A step whose name is cleared is removed; a new step gets a key made by the system, never typed by a person.
    const taken = new Set(f.key.map((k) => k.trim()).filter(Boolean));
    let n = 1;
    const freshKey = () => {
      while (taken.has(`step${n}`)) n++;
      taken.add(`step${n}`);
      return `step${n}`;
    };
    const chain = f.label
      .map((label, i) => ({ key: (f.key[i] ?? "").trim(), role: f.role[i] ?? "", label: label.trim(), duties: (f.duties[i] ?? "").split(/\r?\n/).map((d) => d.trim()).filter(Boolean) }))
      .filter((s) => s.label)
      .map((s) => ({ ...s, key: s.key || freshKey() }));
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/approval-chain/${f.branchId}`, { chain });
    redirectWith(ctx, `/console/settings/${f.branchId}`, "chain_saved");
  });

  router.post("/:branchId/alerts", validate(alertForm), async (ctx) => {
    const f = ctx.state.input as z.infer<typeof alertForm> & Record<string, unknown>;
    const api = ConsoleApi.for(ctx);
    try {
      const current = await api.find<AlertSettingsView>(`/api/hr/alert-settings/${f.branchId}`);
      const userOf = (name: string, field: string) => resolvePerson(resolved, name, field);
      const typed = [...f.mentionUserIds, ...f.hrUserIds, ...Object.entries(f).filter(([k]) => k.endsWith(".auditor") || k === "s.auditor").flatMap(([, v]) => (Array.isArray(v) ? v : [v]))];
      const resolved = await resolveNames(deps.dataSource, typed.map(String));
      const rules = rulesFromForm((current?.rules ?? {}) as Record<string, unknown>, f, f.branchId, userOf);
      // The robot key is shown masked; an empty field keeps the stored one.
      const webhookKey = f.clearWebhook ? undefined : f.webhookKey || current?.notifier.webhookKey;
      const checked = new Set(f.route);
      const routes = Object.fromEntries(
        ALERT_KINDS.map(({ kind }) => [kind, { webhook: checked.has(`${kind}:webhook`), app: checked.has(`${kind}:app`), digest: checked.has(`${kind}:digest`) }]),
      );
      await api.send("PUT", `/api/hr/alert-settings/${f.branchId}`, {
        rules,
        notifier: {
          ...(webhookKey ? { webhookKey } : {}),
          mentionUserIds: f.mentionUserIds.map((n) => userOf(n, "群消息 @ 的人")),
          hrUserIds: f.hrUserIds.map((n) => userOf(n, "接收预警卡片的人事")),
          routes,
        },
      });
    } catch (err) {
      // A refused save is answered on the settings page, with the reason and a 4xx.
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      ctx.status = err.status;
      await show(ctx, f.branchId, `未保存：${err.message}`);
      return;
    }
    redirectWith(ctx, `/console/settings/${f.branchId}`, "alerts_saved");
  });
  return router;
}
