import "reflect-metadata";
import path from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";

/**
 * The one DataSource definition, used by the service, the tests and the
 * TypeORM CLI (`npm run migration:*`). Schema changes go through migrations/
 * only: synchronize stays off.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: "postgres",
    url,
    entities: [path.join(__dirname, "src/**/*.entity.{ts,js}")],
    migrations: [path.join(__dirname, "migrations/*.{ts,js}")],
    migrationsTableName: "typeorm_migrations",
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000 },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

/** For the TypeORM CLI, which needs a default export; scripts/with-db.js sets DATABASE_URL. */
export default createDataSource(process.env.DATABASE_URL ?? "postgres://localhost/unset");
