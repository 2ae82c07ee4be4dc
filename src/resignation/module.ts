import type Router from "@koa/router";
import type { Auth } from "../auth";
import { usesWeComSandbox } from "../platform/config";
import type { PlatformServices } from "../platform/services";
import type { Job } from "../platform/jobs";
import type { WeComClient, WeComOutbox } from "../wecom";
import type { InboxDispatcher } from "../wecom";
import { botTextHandler } from "./bot/botTextHandler";
import { cardClickHandler } from "./cards/cardClickHandler";
import { APPROVAL_CARD_NAMESPACE } from "./cards/approvalCard";
import type { ResignationDeps } from "./deps";
import { workRulesHrRoutes } from "./routes/workRulesHrRoutes";
import { workRulesRoutes } from "./routes/workRulesRoutes";
import { recogniseIntent } from "./rules/botIntent";
import { offerWorkRulesToNewMember } from "./workRules/workRules";
import { runLastDayTransitions, type LastDayRun } from "./lastDay/runLastDayTransitions";
import { RESIGNATION_TOPIC } from "./outbox/outbox";
import { recordMessageOutcome } from "./outbox/messageOutcomes";
import { approvalChainRoutes } from "./routes/approvalChainRoutes";
import { hrResignationRoutes } from "./routes/hrRoutes";
import { mpResignationRoutes } from "./routes/mpRoutes";
import { noticeDeadlineRoutes } from "./routes/noticeDeadlineRoutes";
import { settlementRoutes } from "./routes/settlementRoutes";
import { exitInterviewRoutes } from "./routes/exitInterviewRoutes";
import { alumniRoutes } from "./routes/alumniRoutes";
import { escalateMissedNoticeDeadlines, recomputeProvisionalDeadlines } from "./commands/noticeDeadline";
import { warnIfNextYearMissing } from "./commands/calendarCoverage";
import { calendarRoutes } from "../calendar";

/** The sandbox associates this app id with the app; any id works there once associated. */
const SANDBOX_MINIPROGRAM_APPID = "wxsandboxminiprogram";

export interface Resignation {
  routers: Router[];
  /** The last-day run, early each day and once at start (it is idempotent). */
  jobs: Job[];
  /** Moves cases whose last day has come (what the job runs; tests call it with a test clock). */
  runLastDayTransitions(): Promise<LastDayRun>;
  /** Escalates unsigned notices past their deadline to HR (hourly job). */
  escalateMissedNoticeDeadlines(): Promise<string[]>;
  /** From 1 November, tells HR once a day that next year's holiday arrangement is missing. */
  warnIfNextYearMissing(): ReturnType<typeof warnIfNextYearMissing>;
}

/**
 * The resignation case end to end: mini-program and HR APIs, the bot
 * keyword entry and the approval-card clicks (registered on the inbox
 * dispatcher), what its messages' outcomes mean for a case, and the
 * last-day run for the scheduler.
 */
export function createResignation(
  services: PlatformServices,
  options: {
    auth: Auth;
    client: WeComClient;
    /** Where its messages go out; resignation hears their outcomes (dossier entries, the certificate's delivery). */
    outbox: WeComOutbox;
    dispatcher?: InboxDispatcher;
    lastDaySteps?: ResignationDeps["lastDaySteps"];
    successorsOf?: ResignationDeps["successorsOf"];
    /** After any committed case write (signing, registration, withdrawal among them). */
    onCaseChanged?(): void;
  },
): Resignation {
  const { config, clock, logger, dataSource } = services;
  const deps: ResignationDeps = {
    clock,
    logger: logger.child({ component: "resignation" }),
    publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`,
    miniProgramAppId: config.WECOM_MINIPROGRAM_APPID ?? (usesWeComSandbox(config) ? SANDBOX_MINIPROGRAM_APPID : undefined),
    wakeOutbox: () => {
      options.outbox.wake();
      options.onCaseChanged?.();
    },
    lastDaySteps: options.lastDaySteps,
    successorsOf: options.successorsOf,
  };
  options.outbox.onOutcome(RESIGNATION_TOPIC, recordMessageOutcome);
  // Batchable: its replies are outbox rows written in the event's transaction (sent after commit), so a batch rolled
  // back and handled again event by event sends nothing twice. A text with no intent is not its business at all: it
  // is done with the kinds nobody handles, without a transaction.
  options.dispatcher?.register("text", botTextHandler(deps), { batchable: true, wants: (text) => recogniseIntent(text.content).intent !== "none" });
  options.dispatcher?.registerCards(APPROVAL_CARD_NAMESPACE, cardClickHandler(deps));
  // A member joined: the work-account rules to sign (after org's handler has written them to the directory). Batchable
  // for the reason the bot's replies are (its notice is an outbox row of the transaction), and it wants only joins, so
  // a directory sync's other events (edits, departments, tags) are not held to a transaction each on its account.
  options.dispatcher?.register("change_contact", (event, ctx) => offerWorkRulesToNewMember(ctx.manager, deps, event), {
    batchable: true,
    wants: (event) => event.changeType === "create_user",
  });
  const shared = { ...deps, dataSource };
  return {
    routers: [
      mpResignationRoutes({ ...shared, auth: options.auth.miniProgram }),
      hrResignationRoutes({ ...shared, auth: options.auth.console }),
      approvalChainRoutes({ dataSource, clock, auth: options.auth.console }),
      noticeDeadlineRoutes({ dataSource, clock, auth: options.auth.console }),
      workRulesRoutes({ dataSource, clock, auth: options.auth.miniProgram, archiveRetentionDays: config.ARCHIVE_RETENTION_DAYS }),
      workRulesHrRoutes({ dataSource, clock, auth: options.auth.console }),
      exitInterviewRoutes({ ...shared, auth: options.auth.console }),
      alumniRoutes({ ...shared, auth: options.auth.console }),
      ...settlementRoutes({ ...shared, hrAuth: options.auth.console, mpAuth: options.auth.miniProgram }),
      // The calendar is shared; resignation owns the deadlines that must follow a newly loaded year.
      calendarRoutes({
        dataSource,
        clock,
        auth: options.auth.console,
        onYearLoaded: async (m, year, now) => {
          const recomputed = await recomputeProvisionalDeadlines(m, year, now);
          return { recomputed: recomputed.length };
        },
        afterCommit: () => deps.wakeOutbox(),
      }),
      // The reminders' settings belong to schedules, which has no module of its own; resignation steps are what they pace.
    ],
    jobs: [
      {
        // Every five minutes: the day's transitions early, then the steps that wait for the branch's disable hour.
        name: "resignation-last-day",
        cron: "0 */5 * * * *",
        runOnStart: true,
        run: async () => {
          const run = await runLastDayTransitions(dataSource, deps);
          if (run.failed.length > 0) deps.logger.error({ failed: run.failed }, "some last-day transitions failed");
        },
      },
      { name: "notice-deadline-escalation", cron: "0 15 * * * *", runOnStart: true, run: async () => void (await escalateMissedNoticeDeadlines(dataSource, deps)) },
      { name: "calendar-coverage-warning", cron: "0 0 9 * * *", run: async () => void (await warnIfNextYearMissing(dataSource, deps)) },
    ],
    runLastDayTransitions: () => runLastDayTransitions(dataSource, deps),
    escalateMissedNoticeDeadlines: () => escalateMissedNoticeDeadlines(dataSource, deps),
    warnIfNextYearMissing: () => warnIfNextYearMissing(dataSource, deps),
  };
}
