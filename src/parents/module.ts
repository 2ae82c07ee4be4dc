import type Router from "@koa/router";
import type { Auth } from "../auth/module";
import type { PlatformServices } from "../platform/services";
import { classRoutes } from "./classes/routes";

/** Parents and classes: roster import now; contact events and resync are wired with the WeCom gateway. */
export function createParents(services: PlatformServices, auth: Auth): { routers: Router[] } {
  return { routers: [classRoutes({ dataSource: services.dataSource, auth: auth.console })] };
}
