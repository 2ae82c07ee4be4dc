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

type Reads = Awaited<ReturnType<typeof tableReads>>;

/**
 * The reads of one call over an empty queue, once the dead entries it meets can be marked. An ordered index
 * scan marks a dead entry only when no transaction may still see its row; while the full suite runs a dozen
 * databases at once that can come later than the call made to mark them (seen in CI: a claim re-reading
 * 9,000 entries once). So the call is repeated, 100 ms apart, until one reads what `settled` allows: a fixed
 * claim settles within a few tries; one that bitmap-scans dead entries or walks the primary key reads them all
 * on every call and never does, and after `tries` its last reading is returned for the test to refuse.
 */
export async function readsOfSettledCall<T>(
  database: MeasuredDatabase,
  tables: string[],
  call: () => Promise<T>,
  settled: (before: Reads, after: Reads) => boolean = (before, after) => before.index_entries === after.index_entries && before.heap_rows_scanned === after.heap_rows_scanned,
  tries = 50,
): Promise<{ result: T; before: Reads; after: Reads }> {
  for (let attempt = 1; ; attempt++) {
    const before = await tableReads(database, tables);
    const result = await call();
    const after = await tableReads(database, tables);
    if (settled(before, after) || attempt >= tries) return { result, before, after };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
