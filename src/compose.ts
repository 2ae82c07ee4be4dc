import type Router from "@koa/router";
import { createAuth } from "./auth/module";
import { createOrg } from "./org/module";
import { createParents } from "./parents/module";
import type { Background } from "./platform/lifecycle";
import type { PlatformServices } from "./platform/services";
import { callbackCredentials, createWeComIngress } from "./wecom/callback/createWeComIngress";

export interface Capabilities {
  routers: Router[];
  background: Background[];
}

/**
 * The composition root: builds each capability's services from the platform
 * ones and collects their routers and background jobs. The only file that
 * knows every capability.
 */
export async function composeCapabilities(services: PlatformServices): Promise<Capabilities> {
  const auth = createAuth(services);
  const org = await createOrg(services, auth);
  const parents = createParents(services, auth);
  const routers: Router[] = [...org.routers, ...parents.routers];
  const background: Background[] = [];
  if (callbackCredentials(services.config)) {
    const ingress = createWeComIngress(services);
    routers.push(...ingress.routers);
    if (services.config.WORKERS_ENABLED) background.push(ingress.worker);
  }
  return { routers, background };
}
