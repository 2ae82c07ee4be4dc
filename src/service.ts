import http from "node:http";
import type { AddressInfo } from "node:net";
import type Koa from "koa";
import { systemClock, type Clock } from "./platform/clock";
import { featureWarnings, usesWeComSandbox, type Config } from "./platform/config";
import { openDatabase, type Database } from "./platform/db/database";
import type { DatabaseServer } from "./platform/db/databaseServer";
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
  /** Where /metrics is served when METRICS_PORT is set (then not on the app port). */
  metricsPort?: number;
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
  /** The database server `main` started while the service's modules loaded. */
  databaseServer?: Promise<DatabaseServer>;
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
  const database = options.database ?? (await openDatabase(config, logger, options.databaseServer));
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

  for (const warning of featureWarnings(config)) logger.warn(`FEATURE OFF: ${warning}`);

  const capabilities = await composeCapabilities(services);
  const separateMetrics = config.METRICS_PORT !== undefined;
  const health = healthRoutes(services, { embedded: database.embedded ? () => database.embedded!.status() : undefined, metrics: !separateMetrics });
  const app = createApp({ logger, metrics, routers: [health, ...capabilities.routers], trustProxy: parseTrustProxy(config.TRUST_PROXY) });

  const server = http.createServer(app.callback());
  // WeCom drops a callback after 5 s; never let a slow client hold a socket far longer.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listenPort ?? config.PORT, config.HOST, () => resolve());
  });
  let metricsPort: number | undefined;
  if (separateMetrics) {
    const metricsServer = await listenMetrics(services, config.METRICS_PORT!, config.HOST);
    lifecycle.onStop("metrics-http", () => closeServer(metricsServer));
    metricsPort = (metricsServer.address() as AddressInfo).port;
  }
  for (const job of capabilities.background) {
    job.start();
    lifecycle.onStop(job.name, () => job.stop());
  }
  // Hooks stop in reverse: HTTP stops accepting first, then background work, then the database.
  lifecycle.onStop("http", () => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, ...(metricsPort !== undefined ? { metricsPort } : {}) }, "service listening");
  return { app, server, port, metricsPort, services, database, lifecycle, capabilities, stop: () => lifecycle.stop() };
}

/** /metrics alone on an internal port: nothing else is reachable there, and it is not on the public port. */
async function listenMetrics(services: PlatformServices, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    services.metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": services.metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/**
 * Stop accepting, close idle keep-alive sockets, wait for in-flight requests;
 * after a grace period close busy keep-alive sockets too, so a client that
 * keeps sending (a load balancer, WeCom under load) cannot hold shutdown open.
 */
function closeServer(server: http.Server, graceMs = 3_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close((err) => {
      clearTimeout(force);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
