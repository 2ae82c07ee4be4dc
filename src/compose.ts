import type Router from "@koa/router";
import { createAuth } from "./auth/module";
import { createOrg } from "./org/module";
import { createParents } from "./parents/module";
import type { Background } from "./platform/lifecycle";
import type { PlatformServices } from "./platform/services";

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
  return { routers: [...org.routers, ...parents.routers], background: [] };
}
