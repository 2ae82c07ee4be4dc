import type Router from "@koa/router";
import { createAuth } from "./auth/module";
import { createOrg } from "./org/module";
import { createParents } from "./parents/module";
import type { Background } from "./platform/lifecycle";
import type { PlatformServices } from "./platform/services";
import { createResignation } from "./resignation/module";
import { Scheduler, type Job } from "./schedules/scheduler";
import { createWeCom, type WeCom } from "./wecom/module";

export interface Capabilities {
  routers: Router[];
  background: Background[];
  wecom: WeCom;
}

/**
 * The composition root: builds each capability's services from the platform
 * ones and collects their routers, inbox handlers and scheduled jobs. The
 * only file that knows every capability.
 */
export async function composeCapabilities(services: PlatformServices): Promise<Capabilities> {
  const auth = createAuth(services);
  const wecom = await createWeCom(services);
  const org = await createOrg(services, auth, wecom);
  const parents = createParents(services, auth, wecom);

  const routers: Router[] = [...wecom.routers, ...org.routers, ...parents.routers];
  const resignation = createResignation(services, { auth, client: wecom.client, dispatcher: wecom.ingress?.dispatcher });
  routers.push(...resignation.routers);
  const jobs: Job[] = [...org.jobs, ...parents.jobs, ...resignation.jobs];
  const background: Background[] = [...wecom.background, ...resignation.background];
  if (services.config.SCHEDULES_ENABLED) background.push(new Scheduler(services.dataSource, services.logger, jobs));
  return { routers, background, wecom };
}
