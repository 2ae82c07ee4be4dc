import type { DataSource, QueryRunner } from "typeorm";

/**
 * One writer of a corp's archive at a time, across instances: a session
 * advisory lock on a dedicated connection, released on return or, if the
 * process dies, when PostgreSQL drops the connection. Returns "busy" without
 * waiting when another holder exists (it is already doing the work).
 */
export async function withArchiveLock<T>(dataSource: DataSource, corpId: string, work: (runner: QueryRunner) => Promise<T>): Promise<T | "busy"> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockName = `archive_drain:${corpId}`;
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [lockName]);
    if (!locked) return "busy";
    try {
      return await work(runner);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockName]);
    }
  } finally {
    await runner.release();
  }
}
