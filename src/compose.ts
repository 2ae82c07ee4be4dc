import type Router from "@koa/router";
import { createAuth } from "./auth/module";
import { createOrg } from "./org/module";
import { createParents } from "./parents/module";
import type { Background } from "./platform/lifecycle";
import type { PlatformServices } from "./platform/services";
import { createResignation } from "./resignation/module";
import { createWeCom } from "./wecom/module";

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
  const wecom = await createWeCom(services);
  routers.push(...wecom.routers);
  const background: Background[] = [...wecom.background];
  const resignation = createResignation(services, { auth, client: wecom.client, dispatcher: wecom.ingress?.dispatcher });
  routers.push(...resignation.routers);
  background.push(...resignation.background);
  return { routers, background };
}
