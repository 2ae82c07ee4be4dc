import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { createDataSource } from "../../ormconfig";
import { startEmbeddedPostgres } from "../../src/platform/db/embeddedPostgres";

export interface BenchDatabase {
  dataSource: DataSource;
  url: string;
  stop(): Promise<void>;
}

/**
 * A throw-away embedded PostgreSQL with every migration, on durable settings
 * (benches measure what production would do), removed by stop().
 */
export async function startBenchDatabase(name: string, poolSize = 10): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `bench-${name}-pg-`));
  // As root, PostgreSQL runs as its own user and must reach its directory.
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
  const dataSource = createDataSource(pg.url, poolSize);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: "each" });
  } catch (err) {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    dataSource,
    url: pg.url,
    async stop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
