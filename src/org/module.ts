import type Router from "@koa/router";
import type { Guard } from "../platform/http/guard";
import type { PlatformServices } from "../platform/services";
import type { Job } from "../platform/jobs";
import type { WeCom } from "../wecom";
import { applyContactEvent } from "./directory/applyContactEvent";
import { completeNewMember } from "./directory/completeNewMember";
import { renameOrgUserid } from "./directory/renameOrgUserid";
import { StaffRenames } from "./directory/staffRenames";
import { syncDirectory } from "./directory/syncDirectory";
import { directorySyncRoutes } from "./directory/syncRoutes";
import { WeComDirectorySource } from "./directory/weComDirectorySource";
import { roleRoutes } from "./roles/routes";
import { seedRolesOnFirstStart, type RoleSeed } from "./roles/seedRoles";
import type { Actor } from "./policies/actor";
import { staffTermsRoutes } from "./staff/routes";
import { qualificationRoutes, type CertificatesChanged } from "./qualifications/qualificationRoutes";

/**
 * The directory: a full sync at start and every six hours, change_contact
 * events in between, role administration, HR-maintained employment terms and teachers' qualifications.
 * It takes the console's session guard rather than the auth capability, because
 * auth resolves a session's actor from this directory (auth depends on org).
 */
export async function createOrg(
  services: PlatformServices,
  consoleGuard: Guard<Actor>,
  wecom: WeCom,
  options: { defaultRoles?: readonly RoleSeed[]; certificatesChanged?: CertificatesChanged } = {},
): Promise<{ routers: Router[]; jobs: Job[]; staffRenames: StaffRenames }> {
  await seedRolesOnFirstStart(services.dataSource, services.config.ROLES_SEED_FILE, services.clock, services.logger, options.defaultRoles);
  // Capabilities built after this register how their own tables follow a userid rename.
  const staffRenames = new StaffRenames();
  staffRenames.register("org", renameOrgUserid);
  const source = new WeComDirectorySource(wecom.client);
  wecom.ingress?.dispatcher.register(
    "change_contact",
    async (event, ctx) => {
      await applyContactEvent(ctx.manager, event, staffRenames);
      await completeNewMember(ctx.manager, source, services.clock, event);
    },
    { batchable: true },
  );
  const syncNow = () => syncDirectory(services.dataSource, source, services.clock, services.logger);
  const sync: Job = {
    name: "directory-sync",
    cron: "0 15 */6 * * *",
    runOnStart: true,
    run: async () => {
      await syncNow();
    },
  };
  const routeDeps = { dataSource: services.dataSource, clock: services.clock, auth: consoleGuard };
  return {
    routers: [roleRoutes(routeDeps), staffTermsRoutes(routeDeps), qualificationRoutes({ ...routeDeps, ...(options.certificatesChanged ? { certificatesChanged: options.certificatesChanged } : {}) }), directorySyncRoutes({ ...routeDeps, sync: syncNow })],
    jobs: [sync],
    staffRenames,
  };
}
