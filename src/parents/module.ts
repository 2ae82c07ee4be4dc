import type Router from "@koa/router";
import type { Auth } from "../auth";
import type { PlatformServices } from "../platform/services";
import type { Job } from "../platform/jobs";
import type { WeCom } from "../wecom";
import { externalContactHandler } from "./applyExternalContactEvent";
import { classRoutes } from "./classes/routes";
import { resetResyncCursors, resyncParents } from "./resyncParents";
import { parentSyncRoutes, type ParentSyncReport } from "./resyncRoutes";
import { WeComParentSource } from "./weComParentSource";

/** Parents and classes: contact events, a weekly full resync, roster import. */
export function createParents(services: PlatformServices, auth: Auth, wecom: WeCom): { routers: Router[]; jobs: Job[] } {
  const handle = externalContactHandler(wecom.client, services.clock);
  // Database writes and WeCom reads (repeatable), a transaction's events at once.
  wecom.ingress?.dispatcher.registerBatch("change_external_contact", handle);
  const source = new WeComParentSource(wecom.client);
  const resyncNow = async (): Promise<ParentSyncReport> => {
    await resetResyncCursors(services.dataSource);
    const staff: { userid: string }[] = await services.dataSource.query(`SELECT userid FROM staff WHERE status = 1`);
    const { relations, pages } = await resyncParents(services.dataSource, source, staff.map((s) => s.userid), services.clock, services.logger);
    return { staff: staff.length, relations, pages };
  };
  const resync: Job = {
    name: "parents-resync",
    cron: "0 30 2 * * 0",
    run: async () => {
      await resyncNow();
    },
  };
  const routeDeps = { dataSource: services.dataSource, clock: services.clock, auth: auth.console };
  return { routers: [classRoutes(routeDeps), parentSyncRoutes({ ...routeDeps, resync: resyncNow })], jobs: [resync] };
}
