import type Router from "@koa/router";
import { usesWeComSandbox } from "../../platform/config";
import type { PlatformServices } from "../../platform/services";
import { CallbackCrypto } from "../crypto/callbackCrypto";
import { InboxDispatcher } from "../inbox/dispatcher";
import { InboxMetrics } from "../inbox/inboxMetrics";
import { InboxWorker } from "../inbox/inboxWorker";
import { InboxWriter } from "../inbox/inboxWriter";
import { inboxOpsRoutes } from "../inbox/opsRoutes";
import { pgPool } from "../inbox/pgPool";
import { SANDBOX_CORP } from "../sandboxCredentials";
import { callbackEndpoints } from "./callbackEndpoints";
import { wecomCallbackRoutes } from "./callbackRoutes";

export interface CallbackCredentials {
  corpId: string;
  token: string;
  encodingAesKey: string;
  /** WECOM_CALLBACK_KEYS: more URLs, each with its own pair. */
  extraKeys?: string;
}

export interface WeComIngress {
  routers: Router[];
  worker: InboxWorker;
  dispatcher: InboxDispatcher;
}

/** Real credentials when all three are configured; the fixed sandbox ones when running against the sandbox. */
export function callbackCredentials(config: PlatformServices["config"]): CallbackCredentials | undefined {
  const { WECOM_CORP_ID: corpId, WECOM_TOKEN: token, WECOM_ENCODING_AES_KEY: encodingAesKey } = config;
  if (corpId && token && encodingAesKey) return { corpId, token, encodingAesKey, extraKeys: config.WECOM_CALLBACK_KEYS };
  if (usesWeComSandbox(config)) return SANDBOX_CORP;
  return undefined;
}

/**
 * The callback ingress: URL + inbox writer, the inbox worker and its
 * dispatcher (capabilities register handlers on it), and the operator routes.
 */
export function createWeComIngress(
  services: PlatformServices,
  options: { credentials?: CallbackCredentials } = {},
): WeComIngress {
  const { config, clock, logger, dataSource } = services;
  const credentials = options.credentials ?? callbackCredentials(config);
  if (!credentials) throw new Error("WeCom callback needs WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY");
  let endpoints;
  try {
    endpoints = callbackEndpoints(credentials, credentials.extraKeys);
  } catch (err) {
    throw new Error(`WECOM_CALLBACK_KEYS ${(err as Error).message}`);
  }
  const pool = pgPool(dataSource);
  const metrics = new InboxMetrics(services.metrics, pool, clock, logger);
  const dispatcher = new InboxDispatcher();
  const worker = new InboxWorker({ dataSource, pool, clock, logger }, dispatcher, metrics, {
    pollMs: config.INBOX_POLL_MS,
    maxAttempts: config.INBOX_MAX_ATTEMPTS,
    concurrency: config.INBOX_WORKER_CONCURRENCY,
    // The contact events' handlers take a batch in a constant number of statements (issue 16): under a backlog
    // (a mass transfer's thousands of events) transactions grow from 25 to 400 events, fewer commits per event.
    maxEventsPerTransaction: 400,
  });
  const callback = wecomCallbackRoutes({
    endpoints: endpoints.map((e) => ({ name: e.name, path: e.path, setting: e.setting, crypto: new CallbackCrypto(e.token, e.encodingAesKey, credentials.corpId) })),
    clock,
    windowSeconds: config.WECOM_CALLBACK_WINDOW_SECONDS,
    maxBytes: config.WECOM_CALLBACK_MAX_BYTES,
    writer: new InboxWriter(pool, clock, { handoff: worker }),
    metrics,
    logger,
  });
  const ops = inboxOpsRoutes({ pool, clock, opsToken: config.OPS_TOKEN, wake: () => worker.wake() });
  return { routers: [callback, ops], worker, dispatcher };
}
