import type Router from "@koa/router";
import type { Auth } from "../auth";
import type { PlatformServices } from "../platform/services";
import type { DomainEventBus } from "../platform/events/domainEventBus";
import type { Job } from "../platform/jobs";
import type { WeComClient, WeComOutbox } from "../wecom";
import type { InboxDispatcher } from "../wecom";
import type { HandoverDeps } from "./deps";
import { handoverJobs } from "./jobs";
import { HANDOVER_TOPIC, recordNoticeOutcome } from "./notices/transferNotices";
import { Reassignments } from "./reassignments";
import { handoverViewRoutes } from "./routes/handoverViewRoutes";
import { reassignmentRoutes } from "./routes/reassignmentRoutes";
import { registerTransferEvents } from "./transfers/transferEvents";
import { remindUncontactedParents, type ContactSettings } from "./health/contactReminders";
import { recordFollowsDeleted, refreshHandoverHealth, type RefreshReport, type WordSource } from "./health/healthStore";
import { healthRoutes } from "./routes/healthRoutes";
import { successorRoutes } from "./routes/successorRoutes";

/** For the conversation policy: what a successor inherited (composition passes it to conversations). */
export { inheritedThreads } from "./successorAccess";
/** For the resignation checklist: the successor of each of a leaver's parents, by the plan's one rule. */
export { successorPreview } from "./plan/successorPreview";
/** For org's qualification writes: open plans weighed again when certificates change. */
export { refreshPlansAfterCertificates } from "./plan/certificateRefresh";

export interface Handover {
  /** startResignedReassignment / startOnJobReassignment / preparePlan, for the resignation case. */
  reassignments: Reassignments;
  routers: Router[];
  jobs: Job[];
  /** Handover health: the incremental facts pass and the successor contact reminders (what the jobs run). */
  health: { refresh(): Promise<RefreshReport>; remind(): ReturnType<typeof remindUncontactedParents> };
}

/** Parent and group reassignment of leavers (离职继承 / 在职继承). */
export function createHandover(
  services: PlatformServices,
  wecom: { client: WeComClient; outbox: WeComOutbox; dispatcher?: InboxDispatcher },
  auth: Auth,
  options: {
    /** Where handover hears other capabilities' events (the leaver's last day). */
    events?: DomainEventBus;
    /** Refund words in inherited conversations, found through the archive's blind index (absent without a chat archive). */
    words?: WordSource;
    /** Successor-contact days per campus (default 3, then 2 more before the campus head). */
    healthSettings?(branchId: number | null): Promise<ContactSettings>;
  } = {},
): Handover {
  const deps: HandoverDeps = { dataSource: services.dataSource, client: wecom.client, clock: services.clock, logger: services.logger.child({ component: "handover" }) };
  const reassignments = new Reassignments(deps);
  // The HR problem reports and the parents' introductions go out through the one outbox, which reports back here.
  wecom.outbox.onOutcome(HANDOVER_TOPIC, recordNoticeOutcome);
  if (wecom.dispatcher) registerTransferEvents(wecom.dispatcher);
  // The leaver's last day came (archive drained, account disabled): everything not yet with a successor goes
  // through WeCom's resigned transfer. Idempotent (one plan per leaver), as a redelivered event requires.
  options.events?.subscribe("resignation.resigned_transfers_due", "handover.start_resigned_transfers", async (_m, due) => {
    await reassignments.startResignedReassignment(due.employeeUserid, { caseId: due.caseId });
  });
  const healthSettings = options.healthSettings ?? (async () => ({ contactWithinDays: 3, escalateAfterDays: 2 }));
  // The parent deleted the successor: that inherited parent is lost.
  wecom.dispatcher?.registerBatch("change_external_contact:del_follow_user", async (events, ctx) => {
    await recordFollowsDeleted(ctx.manager, events.map((e) => ({ successorUserid: e.userId, externalUserid: e.externalUserId, at: new Date(e.createTime * 1000) })));
  });
  // Refund words are read by the refresh pass from what the archive stored (not from the live stream), so words in
  // messages stored while this service was down, or stored late, are found like any other.
  const health = {
    refresh: () => refreshHandoverHealth({ ...deps, ...(options.words ? { words: options.words } : {}) }),
    remind: () => remindUncontactedParents(deps, healthSettings),
  };
  return {
    reassignments,
    routers: [
      reassignmentRoutes({ dataSource: services.dataSource, clock: services.clock, auth: auth.console, reassignments }),
      healthRoutes({ dataSource: services.dataSource, clock: services.clock, auth: auth.console, settingsFor: healthSettings }),
      handoverViewRoutes({ dataSource: services.dataSource, auth: auth.console, clock: services.clock }),
      successorRoutes({ dataSource: services.dataSource, clock: services.clock, auth: auth.console, settingsFor: healthSettings }),
    ],
    jobs: [
      ...handoverJobs(deps, reassignments),
      { name: "handover-health-refresh", cron: "0 */2 * * * *", runOnStart: true, run: async () => void (await health.refresh()) },
      { name: "handover-health-reminders", cron: "0 0 * * * *", run: async () => void (await health.remind()) },
    ],
    health,
  };
}
