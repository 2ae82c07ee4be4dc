import type Router from "@koa/router";
import { usesWeComSandbox } from "../platform/config";
import type { Background } from "../platform/lifecycle";
import type { PlatformServices } from "../platform/services";
import type { Sandbox } from "../sandbox";
import { startBuiltInSandbox } from "./builtInSandbox";
import { callbackCredentials, createWeComIngress, type WeComIngress } from "./callback/createWeComIngress";
import { createWeComClient } from "./client/createWeComClient";
import type { WeComClient } from "./client/weComClient";
import { REAL_WECOM_API_BASE, resolveWeComSettings } from "./weComSettings";
import { WECOM_OAUTH_BASE, WECOM_WEB_LOGIN_BASE, type WeComLoginEntry } from "./login/loginUrls";
import type { Job } from "../platform/jobs";
import { pruneInbox } from "./inbox/pruneInbox";
import { WeComOutbox } from "./outbox/weComOutbox";

export interface WeCom {
  client: WeComClient;
  /** The one outbox every capability queues its WeCom messages in (sent after their transaction commits). */
  outbox: WeComOutbox;
  /** Where members sign in with their WeCom identity (the console's login). */
  login: WeComLoginEntry;
  /** Absent when no callback credentials are configured (the service still calls WeCom). */
  ingress?: WeComIngress;
  /** Set in development when the service runs its own sandbox. */
  builtInSandbox?: Sandbox;
  /** Where WeCom (or the sandbox) answers: the archive's sandbox feed lives there too. */
  apiBase: string;
  /** The built-in sandbox's archive key, when it runs (else WECOM_ARCHIVE_PRIVATE_KEYS applies). */
  archivePrivateKeys?: string;
  routers: Router[];
  background: Background[];
  jobs: Job[];
}

/** WeCom gateway: API client, callback ingress and inbox worker, and the development sandbox. */
export async function createWeCom(services: PlatformServices): Promise<WeCom> {
  const { config } = services;
  const background: Background[] = [];
  let apiBase = config.WECOM_API_BASE;
  let builtInSandbox: Sandbox | undefined;
  let archivePrivateKeys: string | undefined;
  if (usesWeComSandbox(config) && config.NODE_ENV === "development" && config.WECOM_API_BASE === REAL_WECOM_API_BASE) {
    const started = await startBuiltInSandbox(config, services.clock, services.logger);
    builtInSandbox = started.sandbox;
    apiBase = started.sandbox.url;
    archivePrivateKeys = started.archivePrivateKeys;
    background.push(started.background);
  }
  const settings = resolveWeComSettings(config, apiBase);
  const client = createWeComClient(services, { settings });
  const outbox = new WeComOutbox({ dataSource: services.dataSource, client, clock: services.clock, logger: services.logger.child({ component: "wecom-outbox" }) }, config.INBOX_POLL_MS);
  if (config.WORKERS_ENABLED) background.push(outbox);
  // The sandbox serves WeCom's two login pages on its own origin (it emulates both, refusals included).
  const sandboxed = usesWeComSandbox(config);
  const login: WeComLoginEntry = {
    corpId: settings.corpId,
    agentId: settings.agentId,
    oauthBase: sandboxed ? apiBase : WECOM_OAUTH_BASE,
    webLoginBase: sandboxed ? apiBase : WECOM_WEB_LOGIN_BASE,
  };
  const routers: Router[] = [];
  let ingress: WeComIngress | undefined;
  if (callbackCredentials(config)) {
    ingress = createWeComIngress(services);
    routers.push(...ingress.routers);
    if (config.WORKERS_ENABLED) background.push(ingress.worker);
  }
  const jobs: Job[] = ingress
    ? [
        {
          name: "inbox-prune",
          cron: "0 50 3 * * *",
          run: async () => {
            const pruned = await pruneInbox(services.dataSource, services.clock.now(), config.INBOX_RETENTION_DAYS);
            if (pruned > 0) services.logger.info({ pruned }, "handled callback events pruned");
          },
        },
      ]
    : [];
  return { client, outbox, login, ingress, builtInSandbox, apiBase, archivePrivateKeys, routers, background, jobs };
}
