import type { DataSource } from "typeorm";

/**
 * Arbitrary but fixed: the advisory lock every instance takes before
 * migrating, so two instances starting together never run the same
 * migration twice (the second waits, then finds nothing pending).
 */
export const MIGRATION_LOCK_KEY = 7_766_160_001;

/** Run pending migrations under a session advisory lock held on one dedicated connection; resolves with their names. */
export async function runMigrationsOnce(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: "each" });
      return applied.map((m) => m.name);
    } catch (err) {
      throw new Error(`a database migration failed: ${(err as Error).message}`, { cause: err });
    } finally {
      await runner.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
