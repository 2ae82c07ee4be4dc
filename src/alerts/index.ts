/**
 * HR alerts: risk rules over the archive and contact events (mass deletion, group sends, diversion
 * phrases), the bot notifier and alert cards, freezes and false-positive handling.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { createAlerts } from "./module";
export type { Alerts } from "./module";
export { renameAlertsStaffUserid } from "./renameStaffUserid";
