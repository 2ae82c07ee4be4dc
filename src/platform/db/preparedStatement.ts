import { createHash } from "node:crypto";
import type { PoolClient } from "pg";
import type { EntityManager } from "typeorm";

/**
 * Runs `sql` as a named prepared statement on the connection of `m` (a
 * transaction's manager): PostgreSQL parses and analyses it once per
 * connection, and keeps its plan for the session (node-postgres docs,
 * features/queries "Prepared Statements": a query with a `name` is parsed
 * once per connection and then only bound and executed). Whether the kept
 * plan is reused or the statement is planned again for each set of values
 * is the plan cache's choice (PostgreSQL docs, sql-prepare and
 * runtime-config-query `plan_cache_mode`: custom plans for the first five
 * executions unless `force_generic_plan`), so a caller that wants the
 * planning saved sets that for its transaction and writes the statement so
 * that a plan made without the values is good for every value.
 *
 * The name is derived from the text, so two texts never share one (node-
 * postgres refuses a known name with another text). Returns the rows.
 * (Behind a connection pooler in transaction mode, the pooler must carry
 * protocol-level prepared statements across server connections: PgBouncer
 * 1.21 and later with max_prepared_statements set, pgbouncer.org/config.html.)
 */
export async function queryPrepared<T>(m: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const client = (m.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)?.databaseConnection;
  if (!client) throw new Error("queryPrepared needs a manager bound to one connection (a transaction's)");
  const result = await client.query<T & object>({ name: statementName(sql), text: sql, values: [...params] });
  return result.rows;
}

const names = new Map<string, string>();

function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= 256) names.clear(); // texts are few and fixed; a caller that varies them only costs hashing again
    name = `p_${createHash("sha256").update(sql).digest("hex").slice(0, 32)}`;
    names.set(sql, name);
  }
  return name;
}
