import type Router from "@koa/router";
import type { Auth } from "../auth/module";
import type { PlatformServices } from "../platform/services";
import { roleRoutes } from "./roles/routes";
import { seedRolesOnFirstStart } from "./roles/seedRoles";

/** The directory capability: role administration now; directory sync is wired with the WeCom client. */
export async function createOrg(services: PlatformServices, auth: Auth): Promise<{ routers: Router[] }> {
  await seedRolesOnFirstStart(services.dataSource, services.config.ROLES_SEED_FILE, services.clock, services.logger);
  return { routers: [roleRoutes({ dataSource: services.dataSource, clock: services.clock, auth: auth.console })] };
}
