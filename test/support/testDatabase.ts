import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { createDataSource } from "../../ormconfig";
import type { Database } from "../../src/platform/db/database";

function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error("TEST_PG_ADMIN_URL is unset: run tests through jest (globalSetup starts PostgreSQL)");
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, fully migrated database for one test file, cloned from the
 * template. close() drops it.
 */
export async function createTestDatabase(poolSize = 10): Promise<Database> {
  const name = `wpg_test_${randomBytes(6).toString("hex")}`;
  const template = process.env.TEST_PG_TEMPLATE ?? "wpg_test_template";
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = urlFor(name);
  const dataSource = createDataSource(url, poolSize);
  await dataSource.initialize();
  return {
    dataSource,
    url,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
