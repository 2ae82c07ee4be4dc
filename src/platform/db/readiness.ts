import type { DataSource } from "typeorm";

export interface ReadinessReport {
  ready: boolean;
  database: "up" | "down";
  pendingMigrations?: boolean;
  error?: string;
}

/**
 * Ready means: the database answers and no migration is pending. The pool
 * reconnects on its own, so readiness recovers without a restart.
 */
export async function checkReadiness(dataSource: DataSource, timeoutMs = 2_000): Promise<ReadinessReport> {
  try {
    const pending = await withTimeout(
      (async () => {
        await dataSource.query("SELECT 1");
        return dataSource.showMigrations();
      })(),
      timeoutMs,
    );
    return { ready: !pending, database: "up", pendingMigrations: pending };
  } catch (err) {
    return { ready: false, database: "down", error: err instanceof Error ? err.message : String(err) };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
