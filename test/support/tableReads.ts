import type { DataSource } from "typeorm";
import { createDataSource } from "../../ormconfig";
import type { Database } from "../../src/platform/db/database";
import { pgPool } from "../../src/platform/db/pgPool";
import { createTestDatabase } from "./testDatabase";

/**
 * Index entries and heap rows read so far from `tables`, from PostgreSQL's own statistics: exact counters, not
 * timings. A claim that reads its partial index in order reads nothing more once the queue is empty; one that
 * walks the primary key or bitmap-scans dead index entries reads them all again on every call (see migration
 * 1767020000000).
 *
 * The counters are the database's, and each backend sends its own on its own schedule: at most once a second,
 * else up to ten seconds after it went idle (PostgreSQL docs, monitoring-stats). So every connection of both
 * pools is made to send its counters first; otherwise the setup's reads, sent late by the setup pool, land
 * between two readings (seen in CI: +5,002 outbox entries, the setup's own drain).
 */
export async function tableReads(database: MeasuredDatabase, tables: string[]): Promise<{ index_entries: number; heap_rows_scanned: number }> {
  await sendCounters(database.db.dataSource);
  await sendCounters(database.oneConnection);
  const [r] = await database.oneConnection.query(
    `SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = ANY($1))::int AS index_entries,
            (SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE relname = ANY($1))::int AS heap_rows_scanned`,
    [tables],
  );
  return r as { index_entries: number; heap_rows_scanned: number };
}

/**
 * Every open connection of the pool sends its pending counters: pg_stat_force_next_flush() makes the backend
 * send them as its statement ends, before it answers, so they are in the view once the query resolves. All the
 * pool's connections are held at once, so each takes one.
 */
async function sendCounters(dataSource: DataSource): Promise<void> {
  const pool = pgPool(dataSource);
  const clients = await Promise.all(Array.from({ length: Math.max(1, pool.totalCount) }, () => pool.connect()));
  try {
    for (const client of clients) await client.query(`SELECT pg_stat_force_next_flush()`);
  } finally {
    for (const client of clients) client.release();
  }
}

/** A fresh test database, and a second DataSource on it with one connection, whose statements the tests measure. */
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
