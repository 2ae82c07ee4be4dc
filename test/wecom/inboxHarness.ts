import http from "node:http";
import type { AddressInfo } from "node:net";
import { createDataSource } from "../../ormconfig";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { createApp } from "../../src/platform/http/createApp";
import { healthRoutes } from "../../src/platform/health/routes";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import type { PlatformServices } from "../../src/platform/services";
import { createWeComIngress, type CallbackCredentials, type WeComIngress } from "../../src/wecom/callback/createWeComIngress";
import { TcpProxy } from "../support/tcpProxy";
import { testConfig } from "../support/testConfig";

export interface RunningIngress extends WeComIngress {
  base: string;
  clock: TestClock;
  services: PlatformServices;
  close(): Promise<void>;
}

/** The ingress on a real HTTP server over a test database; the worker is not started (tests call drain()). */
export async function startIngress(
  db: Database,
  options: { env?: Record<string, string>; credentials?: CallbackCredentials; clock?: TestClock; logger?: PlatformServices["logger"] } = {},
): Promise<RunningIngress> {
  const clock = options.clock ?? new TestClock("2026-03-02T09:00:00+08:00");
  const services: PlatformServices = {
    config: testConfig({ OPS_TOKEN: "ops-secret", INBOX_MAX_ATTEMPTS: "3", ...options.env }),
    logger: options.logger ?? silentLogger(),
    clock,
    dataSource: db.dataSource,
    metrics: createMetrics({ collectProcessMetrics: false }),
  };
  const ingress = createWeComIngress(services, options.credentials ? { credentials: options.credentials } : {});
  const app = createApp({ logger: services.logger, metrics: services.metrics, routers: [healthRoutes(services), ...ingress.routers] });
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    ...ingress,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clock,
    services,
    async close() {
      await ingress.worker.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const nowSeconds = (clock: TestClock) => Math.floor(clock.now().getTime() / 1000);

export async function post(base: string, signed: { query: string; body: string }): Promise<Response> {
  return fetch(`${base}/wecom/callback?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
}

export async function metricValue(ingress: RunningIngress, name: string, labels = ""): Promise<number> {
  const text = await ingress.services.metrics.registry.metrics();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

/**
 * The ingress reaching its database through a TCP proxy the test can cut
 * (database down, or the link dying with writes in flight) and restore.
 */
export async function startIngressBehindProxy(db: Database, clock: TestClock, poolSize: number): Promise<{ ingress: RunningIngress; proxy: TcpProxy; close(): Promise<void> }> {
  const target = new URL(db.url);
  const proxy = new TcpProxy(target.hostname, Number(target.port));
  await proxy.start();
  const proxied = new URL(db.url);
  proxied.port = String(proxy.port);
  const dataSource = createDataSource(proxied.toString(), poolSize);
  await dataSource.initialize();
  const ingress = await startIngress({ dataSource, url: proxied.toString(), close: () => dataSource.destroy() }, { clock });
  return {
    ingress,
    proxy,
    async close() {
      await ingress.close();
      await dataSource.destroy().catch(() => undefined);
      await proxy.cut();
    },
  };
}
