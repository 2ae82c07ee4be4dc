import type { DataSource } from "typeorm";
import type { EmbeddedStatus } from "./embedded/supervisedPostgres";

export interface ReadinessReport {
  ready: boolean;
  database: "up" | "down";
  pendingMigrations?: boolean;
  error?: string;
  /** The embedded server's supervisor, when the service runs one. */
  embedded?: EmbeddedStatus;
}

/**
 * Ready means: the database answers and no migration is pending. The pool
 * reconnects on its own (and the embedded server is restarted by its
 * supervisor), so readiness recovers without a restart.
 */
export async function checkReadiness(dataSource: DataSource, embedded?: EmbeddedStatus, timeoutMs = 2_000): Promise<ReadinessReport> {
  if (embedded && embedded.state !== "running") {
    return { ready: false, database: "down", error: describeEmbedded(embedded), embedded };
  }
  try {
    const pending = await withTimeout(
      (async () => {
        await dataSource.query("SELECT 1");
        return dataSource.showMigrations();
      })(),
      timeoutMs,
    );
    return { ready: !pending, database: "up", pendingMigrations: pending, ...(embedded ? { embedded } : {}) };
  } catch (err) {
    return { ready: false, database: "down", error: err instanceof Error ? err.message : String(err), ...(embedded ? { embedded } : {}) };
  }
}

/** How long the embedded server may stay down, restarting, before liveness fails and an orchestrator should restart us. */
export const EMBEDDED_DOWN_LIMIT_MS = 60_000;

/**
 * Liveness: the process is alive and can still heal itself. Only a supervised
 * embedded server that has failed to come back for a minute makes it fail.
 */
export function checkLiveness(embedded: EmbeddedStatus | undefined, now: Date): { alive: boolean; error?: string } {
  if (embedded?.state === "restarting" && embedded.downSince && now.getTime() - embedded.downSince.getTime() > EMBEDDED_DOWN_LIMIT_MS) {
    return { alive: false, error: describeEmbedded(embedded) };
  }
  return { alive: true };
}

export function describeEmbedded(s: EmbeddedStatus): string {
  if (s.state === "restarting") {
    const cause = s.lastExit ? ` after it went down (${s.lastExit})` : "";
    const last = s.lastError ? `; last attempt: ${s.lastError}` : "";
    return `embedded PostgreSQL is restarting${cause}${last}`;
  }
  return `embedded PostgreSQL is ${s.state}`;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
