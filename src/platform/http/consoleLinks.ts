/**
 * The console's route table for links that leave the service — approval
 * cards, alert cards, robot messages, digests. Every link a message carries is
 * built here, from the same paths the console's routers mount, so a card can
 * only point at a page that exists (test/e2e/demoLinks.test.ts opens each one
 * the demo sends with the recipient's session). It sits in the platform, not in
 * the console, because the capabilities that send messages (resignation,
 * alerts) must not depend on the console, which depends on them.
 */
export const CONSOLE_ROUTES = {
  dashboard: "/console",
  cases: "/console/cases",
  alerts: "/console/alerts",
  handover: "/console/handover",
  archive: "/console/archive",
  settings: "/console/settings",
  inherited: "/console/inherited",
} as const;

export const consolePaths = {
  case: (caseId: string) => `${CONSOLE_ROUTES.cases}/${encodeURIComponent(caseId)}`,
  alert: (alertId: string) => `${CONSOLE_ROUTES.alerts}/${encodeURIComponent(alertId)}`,
  plan: (leaverUserid: string) => `${CONSOLE_ROUTES.handover}/${encodeURIComponent(leaverUserid)}`,
  inherited: () => CONSOLE_ROUTES.inherited,
};

/** An absolute link on the service's public origin. */
export function consoleUrl(publicBaseUrl: string, path: string): string {
  return `${publicBaseUrl.replace(/\/$/, "")}${path}`;
}
