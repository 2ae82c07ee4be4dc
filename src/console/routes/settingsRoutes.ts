import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { can } from "../../org";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { AlertSettingsView, ApprovalChainView, ReminderPolicyView } from "../presenters/apiTypes";
import { branchChoices } from "../presenters/branchChoices";
import { csrfField } from "../views/layout";
import { ALERT_KINDS, branchListView, settingsView } from "../views/settingsViews";
import { Names } from "../presenters/names";
import { resolveNames, resolvePerson } from "../presenters/peopleByName";
import { rulesFromForm } from "../presenters/riskRulesForm";
import { lockdownFromForm, type LockdownSettingsView } from "../presenters/lockdownForm";
import { AppError } from "../../platform/errors";
import type { Context } from "koa";
import { pageForm, redirectWith, renderPage, resultKey } from "./page";

const branch = z.object({ branchId: z.coerce.number().int().positive() });
/** Repeated form fields arrive as an array, a single one as a string. */
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
/** People typed by name, separated by 、 or commas. */
const people = z.preprocess(
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
/** The lockdown form (words one per line; semantics repeated checkboxes), read by lockdownFromForm. */
const lockdownForm = z.object({
  enabled: z.string().optional(),
  ruleName: z.string().max(100).default(""),
  mode: z.string().max(10).default("block"),
  words: z.string().max(10_000).default(""),
  semantics: list,
  autoFreeze: z.string().optional(),
  disableAtHour: z.string().max(10).default(""),
  contactWithinDays: z.string().max(10).default(""),
  escalateAfterDays: z.string().max(10).default(""),
});
const chainForm = z.object({ key: list, role: list, label: list, duties: list });
/** The risk rules arrive as the form's fields (mm.*, md.*, pl.*, al.*, s.*), read by rulesFromForm. */
const alertForm = z
  .object({
    webhookKey: z.string().trim().max(200).default(""),
    clearWebhook: z.string().optional(),
    mentionUserIds: people,
    hrUserIds: people,
    route: list,
  })
  .catchall(z.union([z.string().max(20_000), z.array(z.string().max(20_000)).max(200)]));

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

  route.get("/:branchId", { auth, params: branch, handle: async ({ ctx, actor: session, params: { branchId } }) => show(ctx, session, branchId) });

  async function show(ctx: Context, session: ConsoleSession, branchId: number, error?: string): Promise<void> {
    const api = ConsoleApi.for(ctx);
    const [reminders, chain, alerts, lockdown, choices] = await Promise.all([
      api.get<ReminderPolicyView>(`/api/hr/reminder-policy/${branchId}`),
      api.get<ApprovalChainView>(`/api/hr/approval-chain/${branchId}`),
      api.find<AlertSettingsView>(`/api/hr/alert-settings/${branchId}`),
      api.find<LockdownSettingsView>(`/api/hr/lockdown-settings/${branchId}`),
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
    renderPage(ctx, `设置 · ${choice?.name ?? "校区"}`, "settings", settingsView(branchId, { reminders, chain, alerts, lockdown }, { editable, result: resultKey(ctx), ...(error ? { error } : {}), csrf: csrfField(session), names }));
  }

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
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/approval-chain/${branchId}`, { chain });
    redirectWith(ctx, `/console/settings/${branchId}`, "chain_saved");
  } });

  route.post("/:branchId/lockdown", { ...form, body: lockdownForm, limits: { body: 12_000 }, handle: async ({ ctx, actor: session, params: { branchId }, body: f }) => {
    try {
      await ConsoleApi.for(ctx).send("PUT", `/api/hr/lockdown-settings/${branchId}`, { settings: lockdownFromForm(f) });
    } catch (err) {
      // Refused (a field out of range, too many words…): answered on the page with the reason and the API's 4xx.
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      ctx.status = err.status;
      await show(ctx, session, branchId, err.message.startsWith("未保存") ? err.message : `未保存：${err.message}`);
      return;
    }
    redirectWith(ctx, `/console/settings/${branchId}`, "lockdown_saved");
  } });

  route.post("/:branchId/alerts", { ...form, body: alertForm, limits: { body: 20_000 }, handle: async ({ ctx, actor: session, params: { branchId }, body: f }) => {
    const api = ConsoleApi.for(ctx);
    try {
      const current = await api.find<AlertSettingsView>(`/api/hr/alert-settings/${branchId}`);
      const fields = f as Record<string, unknown>;
      const typed = [...f.mentionUserIds, ...f.hrUserIds, ...Object.entries(fields).filter(([k]) => k.endsWith(".auditor")).flatMap(([, v]) => (Array.isArray(v) ? v : [v]))];
      const resolved = await resolveNames(deps.dataSource, typed.map(String));
      const userOf = (name: string, field: string) => resolvePerson(resolved, name, field);
      const rules = rulesFromForm((current?.rules ?? {}) as Record<string, unknown>, fields, branchId, userOf);
      // The robot key is shown masked; an empty field keeps the stored one.
      const webhookKey = f.clearWebhook ? undefined : f.webhookKey || current?.notifier.webhookKey;
      const checked = new Set(f.route);
      const routes = Object.fromEntries(
        ALERT_KINDS.map(({ kind }) => [kind, { webhook: checked.has(`${kind}:webhook`), app: checked.has(`${kind}:app`), digest: checked.has(`${kind}:digest`) }]),
      );
      await api.send("PUT", `/api/hr/alert-settings/${branchId}`, {
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
      await show(ctx, session, branchId, `未保存：${err.message}`);
      return;
    }
    redirectWith(ctx, `/console/settings/${branchId}`, "alerts_saved");
  } });
  return router;
}
