import type Router from "@koa/router";
import type { Auth } from "../auth/module";
import type { PlatformServices } from "../platform/services";
import type { Job } from "../schedules/scheduler";
import type { WeComClient } from "../wecom/client/WeComClient";
import type { InboxDispatcher } from "../wecom/inbox/dispatcher";
import type { HandoverDeps } from "./deps";
import { handoverJobs } from "./jobs";
import { AppMessageProblemNotifier, type TransferProblemNotifier } from "./notices/problemNotifier";
import { Reassignments } from "./reassignments";
import { handoverViewRoutes } from "./routes/handoverViewRoutes";
import { reassignmentRoutes } from "./routes/reassignmentRoutes";
import { registerTransferEvents } from "./transfers/transferEvents";

export interface Handover {
  /** startResignedReassignment / startOnJobReassignment / preparePlan, for the resignation case. */
  reassignments: Reassignments;
  notifier: TransferProblemNotifier;
  routers: Router[];
  jobs: Job[];
}

/** Parent and group reassignment of leavers (离职继承 / 在职继承). */
export function createHandover(
  services: PlatformServices,
  wecom: { client: WeComClient; dispatcher?: InboxDispatcher },
  auth: Auth,
  options: { notifier?: TransferProblemNotifier } = {},
): Handover {
  const deps: HandoverDeps = { dataSource: services.dataSource, client: wecom.client, clock: services.clock, logger: services.logger.child({ component: "handover" }) };
  const reassignments = new Reassignments(deps);
  const notifier = options.notifier ?? new AppMessageProblemNotifier(services.dataSource, wecom.client);
  if (wecom.dispatcher) registerTransferEvents(wecom.dispatcher);
  return {
    reassignments,
    notifier,
    routers: [
      reassignmentRoutes({ dataSource: services.dataSource, clock: services.clock, auth: auth.console, reassignments }),
      handoverViewRoutes({ dataSource: services.dataSource, auth: auth.console }),
    ],
    jobs: handoverJobs(deps, reassignments, notifier),
  };
}
