import type { Pool } from "pg";
import type { DataSource } from "typeorm";

/**
 * The pg pool under TypeORM's DataSource. The callback hot path and the worker's
 * claim loop talk to it directly: one round trip per statement and no
 * QueryRunner/entity overhead (see performance-limits.md).
 */
export function pgPool(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error("DataSource is not an initialised PostgreSQL connection");
  return pool;
}
