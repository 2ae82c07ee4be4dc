import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
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

/** Where benches keep data sets worth reusing between runs: `.data/bench/` in the project (git-ignored). */
export function benchDataFolder(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bench: no package.json above the bench folder");
    dir = parent;
  }
  return path.join(dir, ".data", "bench");
}

/**
 * An embedded PostgreSQL with every migration, on durable settings (benches
 * measure what production would do). Throw-away by default, removed by
 * stop(); with `keepIn` it runs on that folder and leaves it in place, so a
 * costly data set generated once is reused by the next run.
 */
export async function startBenchDatabase(name: string, poolSize = 10, options: { keepIn?: string } = {}): Promise<BenchDatabase> {
  const keep = options.keepIn !== undefined;
  let dataDir: string;
  if (options.keepIn !== undefined) {
    mkdirSync(options.keepIn, { recursive: true });
    dataDir = options.keepIn;
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), `bench-${name}-pg-`));
  }
  // As root, PostgreSQL runs as its own user and must reach its directory.
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir, port: 0, persistent: keep });
  // As the service reaches its embedded server: over the unix socket.
  const dataSource = createDataSource(pg.localUrl, poolSize);
  const remove = () => {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: "each" });
  } catch (err) {
    await pg.stop();
    remove();
    throw err;
  }
  return {
    dataSource,
    url: pg.localUrl,
    async stop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pg.stop();
      remove();
    },
  };
}
