import { unfreezeRoutes } from "./routes/unfreezeRoutes";
import type Router from "@koa/router";
import type { Auth } from "../auth";
import type { ArchiveFanout } from "../conversations";
import type { DataKeyRing } from "../platform/dataProtection/keyRing";
import type { Background } from "../platform/lifecycle";
import type { PlatformServices } from "../platform/services";
import type { ReminderSubject } from "../schedules";
import type { Job } from "../platform/jobs";
import type { WeComClient, WeComOutbox } from "../wecom";
import type { InboxDispatcher } from "../wecom";
import { type ActionDeps } from "./actions/alertActions";
import { closeItTasksWhenDisabled, itFreezeReminders } from "./actions/itFreezeReminders";
import { alertCardClickHandler } from "./actions/cardClickHandler";
import { recordAlertOutcome } from "./notifier/alertCardSync";
import { ALERTS_TOPIC } from "./notifier/alertOutbox";
import { TASK_PREFIX } from "./notifier/alertMessages";
import { ArchiveRiskConsumer } from "./detection/archiveRiskConsumer";
import { contactEventHandler } from "./detection/contactEventHandler";
import type { DetectDeps } from "./detection/detectBatch";
import { BranchSettingsCache } from "./detection/settingsCache";
import { RiskStateCache } from "./detection/riskStateCache";
import { runDailyDigest } from "./notifier/dailyDigest";
import { alertRoutes } from "./routes/alertRoutes";
import { lockdownRoutes } from "./routes/lockdownRoutes";
import { LockdownWorker } from "./lockdown/lockdownWorker";
import { disableAtHour, disableLeaverAccount } from "./lockdown/lastDayAccount";
import { handoverSettingsForBranch } from "./lockdown/lockdownStore";
import { syncInterceptRules } from "./intercept/syncInterceptRules";
import { loadAllBranchSettings } from "./store/branchSettings";
import type { JsonValue } from "../dossier";

/** IT is reminded of an account to disable twice a working day until it is done. */
export interface AlertsOptions {
  auth: Auth;
  client: WeComClient;
  /** Where its notifications go out (robot posts throttled per robot there). */
  outbox: WeComOutbox;
  dispatcher?: InboxDispatcher;
  /** The chat archive; without it only contact events are watched. */
  archive?: { fanout: ArchiveFanout; keyRing: DataKeyRing };
}

export interface Alerts {
  routers: Router[];
  background: Background[];
  jobs: Job[];
  /** Reminders this capability adds to the shared 24-hour sweep (IT freeze tasks). */
  reminderSubjects: ReminderSubject[];
  consumer?: ArchiveRiskConsumer;
  settings: BranchSettingsCache;
  /** Leavers in their branch's intercept rule, and their group-send records watched. */
  lockdown: LockdownWorker;
  /** Successor-contact days per campus, for handover health (part of the branch's lockdown settings). */
  handoverSettingsFor(branchId: number | null): Promise<{ contactWithinDays: number; escalateAfterDays: number }>;
  /** The last day's account step, for the resignation's ordered last-day run. */
  lastDayAccount: {
    disableAtHour(userid: string): Promise<number | undefined>;
    disableAccount(userid: string): Promise<Record<string, JsonValue>>;
  };
}

/**
 * How long the archive detector's next batch waits, at most, for the outbox's pass over the alerts a batch
 * raised: enough for a claim and a WeCom call (tens of milliseconds) to go first, short enough that a slow or
 * failing WeCom costs the detector little (its messages queue meanwhile and make the next batch bigger).
 */
const ALERT_DELIVERY_FIRST_MS = 200;

/**
 * HR risk alerts: archived messages and contact events through the risk
 * rules, alerts to the group robot and to HR as cards, card actions (freeze,
 * false positive), the daily digest, IT reminders and the HR console API.
 */
export function createAlerts(services: PlatformServices, options: AlertsOptions): Alerts {
  const { config, clock, dataSource } = services;
  const logger = services.logger.child({ component: "alerts" });
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  const settings = new BranchSettingsCache(dataSource);
  const onAlerts = () => options.outbox.wake();
  const deliverFirst = () => options.outbox.wakeAndWait(ALERT_DELIVERY_FIRST_MS);
  const detect: DetectDeps = { settings: () => settings.get(), publicBaseUrl, logger, states: new RiskStateCache() };
  const actions: ActionDeps = { client: options.client, clock };

  // Detection and IT-task closing write only in the event's transaction (the card goes out from the WeCom outbox).
  // One handler for both deletions: a transaction's deletions of either kind go through the rules together, in arrival order.
  const contactEvents = contactEventHandler({ ...detect, clock, onAlerts });
  options.dispatcher?.registerBatch("change_external_contact:del_external_contact", contactEvents);
  options.dispatcher?.registerBatch("change_external_contact:del_follow_user", contactEvents);
  options.dispatcher?.registerCards(TASK_PREFIX, alertCardClickHandler(actions));
  // A sent alert card's response_code is kept, so a console action can grey the card out.
  options.outbox.onOutcome(ALERTS_TOPIC, recordAlertOutcome);
  options.dispatcher?.register("change_contact", (event, ctx) => closeItTasksWhenDisabled(ctx.manager, event), { batchable: true });

  const consumer = options.archive
    ? new ArchiveRiskConsumer({ ...detect, dataSource, fanout: options.archive.fanout, keyRing: options.archive.keyRing, clock, logger, onAlerts: deliverFirst })
    : undefined;
  const lockdown = new LockdownWorker({ dataSource, client: options.client, clock, logger, publicBaseUrl, onAlerts });
  // A member disabled or deleted leaves the leaver rule at the next pass, woken once the event's commit is visible.
  options.dispatcher?.register("change_contact", async (_event, ctx) => ctx.afterCommit(() => lockdown.wake()), { batchable: true });
  const background: Background[] = config.WORKERS_ENABLED ? [lockdown, ...(consumer ? [consumer] : [])] : [];
  return {
    routers: [
      alertRoutes({ ...actions, dataSource, auth: options.auth.console, keyRing: options.archive?.keyRing, onSettingsChanged: () => settings.invalidate() }),
      lockdownRoutes({ dataSource, clock, auth: options.auth.console, onChanged: () => lockdown.wake() }),
      unfreezeRoutes({ ...actions, dataSource, auth: options.auth.console }),
    ],
    background,
    jobs: [
      {
        name: "alerts-daily-digest",
        cron: "0 0 18 * * *",
        run: async () => {
          await runDailyDigest(dataSource, clock, publicBaseUrl);
          options.outbox.wake();
        },
      },
      {
        // Settings saved while WeCom failed, or a crash between WeCom's reply and our commit, are repaired here.
        name: "intercept-rules-resync",
        cron: "0 */15 * * * *",
        run: async () => {
          for (const branch of await loadAllBranchSettings(dataSource.manager)) {
            await syncInterceptRules({ dataSource, client: options.client, clock }, branch).catch((err) => logger.error({ err, branchId: branch.branchId }, "intercept rule resync failed"));
          }
        },
      },
    ],
    lockdown,
    handoverSettingsFor: (branchId) => handoverSettingsForBranch(dataSource.manager, branchId),
    lastDayAccount: {
      disableAtHour: (userid) => disableAtHour(dataSource, userid),
      disableAccount: (userid) => disableLeaverAccount({ dataSource, client: options.client, clock }, userid),
    },
    reminderSubjects: [itFreezeReminders],
    ...(consumer ? { consumer } : {}),
    settings,
  };
}
