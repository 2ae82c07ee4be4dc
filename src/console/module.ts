import Router from "@koa/router";
import type { Auth } from "../auth";
import { edgeMiddleware } from "../platform/http/route";
import type { PlatformServices } from "../platform/services";
import type { WeComClient } from "../wecom";
import type { WeComLoginEntry } from "../wecom";
import { consolePageGuard } from "./auth/consoleSession";
import { consoleLoginRoutes } from "./auth/loginRoutes";
import { htmlErrors } from "./htmlErrors";
import { alertPageRoutes } from "./routes/alertPageRoutes";
import { inheritedThreads } from "../handover";
import { archiveRoutes } from "./routes/archiveRoutes";
import { settlementPageRoutes } from "./routes/settlementPageRoutes";
import { caseRoutes } from "./routes/caseRoutes";
import { dashboardRoutes } from "./routes/dashboardRoutes";
import { inheritedRoutes } from "./routes/inheritedRoutes";
import { planRoutes } from "./routes/planRoutes";
import { retentionRoutes } from "./routes/retentionRoutes";
import { settingsRoutes } from "./routes/settingsRoutes";
import { qualificationPageRoutes } from "./routes/qualificationPageRoutes";
import { alumniPageRoutes } from "./routes/alumniPageRoutes";
import { workRulesPageRoutes } from "./routes/workRulesPageRoutes";
import { consentWithdrawalPageRoutes } from "./routes/consentWithdrawalPageRoutes";
import { calendarPageRoutes } from "./routes/calendarPageRoutes";

export interface Console {
  routers: Router[];
}

/**
 * The HR console: server-rendered pages under /console (the WeCom app's home
 * page), signed in through WeCom OAuth. Pages render the service's own API
 * answers, so they are scoped by exactly the API's policies.
 */
export function createConsole(
  services: PlatformServices,
  options: { auth: Auth; client: WeComClient; login: WeComLoginEntry },
): Console {
  const { config, clock, logger, dataSource } = services;
  const login = consoleLoginRoutes({
    auth: options.auth,
    client: options.client,
    clock,
    logger: logger.child({ component: "console" }),
    publicBaseUrl: config.PUBLIC_BASE_URL,
    weCom: options.login,
  });
  const pages = new Router();
  // Every page route is guarded by the console session (cookie + CSRF on forms); errors answer as pages.
  const guard = consolePageGuard(options.auth);
  pages.use(htmlErrors(logger.child({ component: "console" })));
  for (const router of [
    dashboardRoutes({ dataSource, clock, guard }),
    caseRoutes({ dataSource, guard, clock }),
    settlementPageRoutes({ guard }),
    planRoutes({ dataSource, guard }),
    inheritedRoutes({ dataSource, guard }),
    alertPageRoutes({ dataSource, guard }),
    archiveRoutes({ dataSource, clock, guard, inheritedThreads }),
    retentionRoutes({ guard }),
    settingsRoutes({ dataSource, guard }),
    qualificationPageRoutes({ guard }),
    alumniPageRoutes({ guard }),
    workRulesPageRoutes({ guard }),
    consentWithdrawalPageRoutes({ guard }),
    calendarPageRoutes({ guard }),
  ]) {
    pages.use(router.routes(), edgeMiddleware("allowed methods", router.allowedMethods()));
  }
  return { routers: [login, pages] };
}
