import http from "node:http";
import type { AddressInfo } from "node:net";
import type Koa from "koa";
import { systemClock, type Clock } from "./platform/clock";
import { usesWeComSandbox, type Config } from "./platform/config";
import { openDatabase, type Database } from "./platform/db/database";
import { healthRoutes } from "./platform/health/routes";
import { parseTrustProxy } from "./platform/http/clientAddress";
import { createApp } from "./platform/http/createApp";
import { Lifecycle } from "./platform/lifecycle";
import type { Logger } from "./platform/logger";
import { createMetrics } from "./platform/metrics";
import type { PlatformServices } from "./platform/services";
import { composeCapabilities, type Capabilities } from "./compose";

export interface RunningService {
  app: Koa;
  server: http.Server;
  port: number;
  services: PlatformServices;
  database: Database;
  lifecycle: Lifecycle;
  capabilities: Capabilities;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Tests pass an already-open database (one per test file). */
  database?: Database;
  listenPort?: number;
}

/**
 * Start everything in dependency order: database (with migrations), the
 * capabilities, HTTP, background work. Stopping reverses that order: stop
 * accepting, let in-flight requests finish, stop workers, close the pool and
 * the embedded server.
 */
export async function startService(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningService> {
  const lifecycle = new Lifecycle(logger);
  const database = options.database ?? (await openDatabase(config, logger));
  if (!options.database) lifecycle.onStop("database", () => database.close());

  const metrics = createMetrics();
  const services: PlatformServices = {
    config,
    logger,
    clock: options.clock ?? systemClock,
    dataSource: database.dataSource,
    metrics,
  };
  if (usesWeComSandbox(config)) {
    logger.warn("No WECOM_CORP_ID configured: running against the built-in WeCom SANDBOX, not real WeCom");
  }

  const capabilities = await composeCapabilities(services);
  const app = createApp({ logger, metrics, routers: [healthRoutes(services), ...capabilities.routers], trustProxy: parseTrustProxy(config.TRUST_PROXY) });

  const server = http.createServer(app.callback());
  // WeCom drops a callback after 5 s; never let a slow client hold a socket far longer.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listenPort ?? config.PORT, config.HOST, () => resolve());
  });
  for (const job of capabilities.background) {
    job.start();
    lifecycle.onStop(job.name, () => job.stop());
  }
  // Hooks stop in reverse: HTTP stops accepting first, then background work, then the database.
  lifecycle.onStop("http", () => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, "service listening");
  return { app, server, port, services, database, lifecycle, capabilities, stop: () => lifecycle.stop() };
}

/** Stop accepting, close idle keep-alive sockets, wait for in-flight requests. */
function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}
