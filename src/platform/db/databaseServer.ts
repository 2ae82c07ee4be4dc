import type { Config } from "../config";
import type { Logger } from "../logger";
import { startEmbeddedPostgres, type RunningPostgres } from "./embeddedPostgres";

/** Where the database is: DATABASE_URL, or the embedded server this process runs. */
export interface DatabaseServer {
  url: string;
  embedded?: RunningPostgres;
}

/**
 * DATABASE_URL as given or, without one, the embedded PostgreSQL started on
 * EMBEDDED_PG_DIR. Kept apart from the connection (database.ts loads TypeORM
 * and every entity) so `main` can start PostgreSQL — or let it recover from
 * a crash — in its own process while the application's modules load.
 */
export async function startDatabaseServer(config: Config, logger: Logger, onSpawned?: () => void): Promise<DatabaseServer> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, logger, onSpawned });
  logger.info({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT }, "embedded PostgreSQL started");
  // Its own local server: over the unix socket (embeddedPostgres.ts says why).
  return { url: embedded.localUrl, embedded };
}
