import type { Pool, PoolClient } from "pg";
import type { Logger } from "../logger";

/**
 * Every client of the pool keeps an "error" listener for its whole life. pg
 * emits a connection's error on its client when no query is running on it,
 * and the pool listens only while a client is idle: an error reaching a client
 * held between statements (PostgreSQL ends every connection with "terminating
 * connection due to unexpected postmaster exit" when its postmaster is killed)
 * was an unhandled "error" event that ended the whole service
 * (crashRecovery.test). The holder's next statement fails instead, and the pool
 * drops the client when it is released (it is no longer queryable).
 */
export function keepPoolClientErrorsHandled(pool: Pool, logger: Logger): void {
  const guarded = new WeakSet<PoolClient>();
  const guard = (client: PoolClient) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on("error", (err) => logger.warn({ err }, "a database connection was lost"));
  };
  pool.on("connect", guard);
  // Clients the DataSource opened while initialising, before this listener existed.
  for (const client of (pool as unknown as { _clients?: PoolClient[] })._clients ?? []) guard(client);
}
