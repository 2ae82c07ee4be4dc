import type { DataSource } from "typeorm";
import { createDataSource } from "../../../ormconfig";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { startDatabaseServer, type DatabaseServer } from "./databaseServer";
import type { RunningPostgres } from "./embeddedPostgres";
import { runMigrationsOnce } from "./migrationLock";
import { pgPool } from "./pgPool";
import { keepPoolClientErrorsHandled } from "./poolClientErrors";

export interface Database {
  dataSource: DataSource;
  url: string;
  embedded?: RunningPostgres;
  close(): Promise<void>;
}

/**
 * Connect to DATABASE_URL or, without one, to an embedded server whose data
 * lives in EMBEDDED_PG_DIR. Pending migrations run before anything else. A
 * caller that already started the server (main, while modules loaded) hands
 * it over; if that start failed, the failure surfaces here.
 */
export async function openDatabase(config: Config, logger: Logger, server: Promise<DatabaseServer> = startDatabaseServer(config, logger)): Promise<Database> {
  const { url, embedded } = await server;
  const dataSource = createDataSource(url, config.DATABASE_POOL_SIZE);
  try {
    try {
      await dataSource.initialize();
      keepPoolClientErrorsHandled(pgPool(dataSource), logger);
    } catch (err) {
      throw new Error(`cannot connect to the database at ${where(url)}: ${(err as Error).message}`, { cause: err });
    }
    const applied = await runMigrationsOnce(dataSource);
    if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    url,
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** host:port/database of a URL, never its password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    // A socket directory is URL-encoded in the authority ("%2Ftmp").
    return `${decodeURIComponent(u.hostname)}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}
