import type { DataSource } from "typeorm";
import { createDataSource } from "../../ormconfig";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "./testDatabase";

/**
 * Index entries and heap rows read so far from `tables` by the statements of `oneConnection` (a DataSource
 * with a pool of one), from PostgreSQL's own statistics: exact counters, not timings. A claim that reads
 * its partial index in order reads nothing more once the queue is empty; one that walks the primary key
 * or bitmap-scans dead index entries reads them all again on every call (see migration 1767020000000).
 */
export async function tableReads(oneConnection: DataSource, tables: string[]): Promise<{ index_entries: number; heap_rows_scanned: number }> {
  // A backend sends its counters on its own schedule; this one's, now (PostgreSQL docs, monitoring-stats).
  await oneConnection.query(`SELECT pg_stat_force_next_flush()`);
  const [r] = await oneConnection.query(
    `SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = ANY($1))::int AS index_entries,
            (SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE relname = ANY($1))::int AS heap_rows_scanned`,
    [tables],
  );
  return r as { index_entries: number; heap_rows_scanned: number };
}

/** A fresh test database, and a second DataSource on it with one connection whose statistics tableReads counts. */
export interface MeasuredDatabase {
  db: Database;
  oneConnection: DataSource;
  close(): Promise<void>;
}

export async function databaseWithOneConnection(): Promise<MeasuredDatabase> {
  const db = await createTestDatabase();
  const oneConnection = createDataSource(db.url, 1);
  await oneConnection.initialize();
  return {
    db,
    oneConnection,
    async close() {
      if (oneConnection.isInitialized) await oneConnection.destroy();
      await db.close();
    },
  };
}
