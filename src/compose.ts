import type Router from "@koa/router";
import { createAlerts, type Alerts } from "./alerts";
import { createAuth } from "./auth";
import { createConsole } from "./console";
import { createConversations, type Conversations } from "./conversations";
import { createHandover, inheritedThreads, refreshPlansAfterCertificates, successorPreview, type Handover } from "./handover";
import { ConversationWordFinder } from "./conversations";
import { createOrg } from "./org";
import { createParents } from "./parents";
import { createPeople, type People } from "./people";
import { DomainEventBus } from "./platform/events/domainEventBus";
import type { Background } from "./platform/lifecycle";
import type { PlatformServices } from "./platform/services";
import { createResignation, type Resignation } from "./resignation";
import { resignationReminderSubjects } from "./resignation";
import { sweepReminders } from "./schedules";
import { reminderPolicyRoutes } from "./schedules";
import type { Job } from "./platform/jobs";
import { Scheduler } from "./schedules";
import { createWeCom, type WeCom } from "./wecom";
import { DEMO_CORP_ROLES } from "./sandbox";
import { sandboxFirstStart } from "./sandboxFirstStart";
import { renameAlertsStaffUserid } from "./alerts";
import type { StaffRenames } from "./org";
import { renameConversationsStaffUserid } from "./conversations";
import { renameHandoverUserid } from "./handover";
import { renameParentsStaffUserid } from "./parents";
import { renameResignationUserid } from "./resignation";
import { renameReminderRecipient } from "./schedules";

export interface Capabilities {
  routers: Router[];
  background: Background[];
  jobs: Job[];
  wecom: WeCom;
  conversations: Conversations;
  handover: Handover;
  resignation: Resignation;
  alerts: Alerts;
  people: People;
  /** Domain events between capabilities; drain() delivers what is due now (tests, the demo). */
  events: DomainEventBus;
  /** One pass of the 24-hour reminder sweep (what its job runs; tests call it on a test clock). */
  sweepReminders(): ReturnType<typeof sweepReminders>;
}

/** A userid rename reaches every table keyed by userid through the capability that owns it. */
export function registerStaffRenames(renames: StaffRenames): void {
  renames.register("parents", renameParentsStaffUserid);
  renames.register("conversations", renameConversationsStaffUserid);
  renames.register("handover", renameHandoverUserid);
  renames.register("alerts", renameAlertsStaffUserid);
  renames.register("resignation", renameResignationUserid);
  renames.register("schedules", renameReminderRecipient);
}

/**
 * The composition root: builds each capability from the platform services,
 * registers their inbox handlers, and collects their routers, background
 * workers and scheduled jobs. The only file that knows every capability.
 */
export async function composeCapabilities(services: PlatformServices): Promise<Capabilities> {
  const auth = createAuth(services);
  const events = new DomainEventBus({ dataSource: services.dataSource, clock: services.clock, logger: services.logger.child({ component: "domain-events" }) }, services.config.INBOX_POLL_MS);
  const wecom = await createWeCom(services);
  const dispatcher = wecom.ingress?.dispatcher;
  // Against the built-in sandbox, its demo corp's HR and campus head get their roles on the first start.
  const org = await createOrg(services, auth.console, wecom, {
    ...(wecom.builtInSandbox ? { defaultRoles: DEMO_CORP_ROLES } : {}),
    // A certificate imported or edited later weighs open handover plans again (their 「无同学科持证教师」 note).
    certificatesChanged: refreshPlansAfterCertificates,
  });
  const parents = createParents(services, auth, wecom);
  const conversations = createConversations(services, wecom, inheritedThreads, auth);
  const handover = createHandover(services, { client: wecom.client, outbox: wecom.outbox, dispatcher }, auth, {
    events,
    ...(conversations.archive ? { words: new ConversationWordFinder(conversations.archive.keyRing, conversations.archive.searchKeys) } : {}),
    // Alerts is built below; this runs only once the service is up.
    healthSettings: (branchId) => alerts.handoverSettingsFor(branchId),
  });
  const archive = conversations.archive;
  const alerts = createAlerts(services, {
    auth,
    client: wecom.client,
    outbox: wecom.outbox,
    dispatcher,
    ...(archive ? { archive: { fanout: archive.fanout, keyRing: archive.keyRing } } : {}),
  });
  registerStaffRenames(org.staffRenames);
  const resignation = createResignation(services, {
    auth,
    client: wecom.client,
    outbox: wecom.outbox,
    dispatcher,
    // The last day in order: final archive drain, the account disabled at the branch's hour, then transfers.
    lastDaySteps: {
      ...(archive
        ? {
            drainArchive: async () => {
              const report = await archive.drainer.request();
              return { done: report.status === "drained", detail: { status: report.status, toSeq: report.toSeq, stored: report.stored } };
            },
          }
        : {}),
      disableAtHour: (userid) => alerts.lastDayAccount.disableAtHour(userid),
      disableAccount: (userid) => alerts.lastDayAccount.disableAccount(userid),
    },
    onCaseChanged: () => alerts.lockdown.wake(),
    successorsOf: (manager, leaverUserid) => successorPreview(manager, leaverUserid, services.clock.now()),
  });
  const people = createPeople(services);
  const hrConsole = createConsole(services, { auth, client: wecom.client, login: wecom.login });
  const reminderDeps = {
    dataSource: services.dataSource,
    clock: services.clock,
    logger: services.logger,
    afterCommit: () => wecom.outbox.wake(),
  };
  const runReminderSweep = () => sweepReminders(reminderDeps, [...resignationReminderSubjects, ...alerts.reminderSubjects, ...people.reminderSubjects]);

  const jobs: Job[] = [
    ...wecom.jobs,
    ...org.jobs,
    ...parents.jobs,
    ...conversations.jobs,
    ...handover.jobs,
    ...resignation.jobs,
    ...alerts.jobs,
    ...people.jobs,
    { name: "reminders", cron: "0 * * * * *", run: async () => void (await runReminderSweep()) },
  ];
  const routers = [
    ...wecom.routers,
    auth.miniProgramLoginRoutes(wecom.client),
    ...org.routers,
    ...parents.routers,
    ...conversations.routers,
    ...handover.routers,
    ...resignation.routers,
    ...alerts.routers,
    reminderPolicyRoutes({ dataSource: services.dataSource, clock: services.clock, auth: auth.console }),
    ...hrConsole.routers,
  ];
  const background = [...wecom.background, ...conversations.background, ...alerts.background];
  if (services.config.WORKERS_ENABLED) background.push(events);
  if (services.config.SCHEDULES_ENABLED) background.push(new Scheduler(services.dataSource, services.logger, jobs));
  if (wecom.builtInSandbox) background.push(sandboxFirstStart(services, jobs));
  return { routers, background, jobs, wecom, conversations, handover, resignation, alerts, people, events, sweepReminders: runReminderSweep };
}
