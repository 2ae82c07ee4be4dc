import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { createDataSource } from "../../ormconfig";
import { startEmbeddedPostgres, type RunningPostgres } from "../../src/platform/db/embeddedPostgres";

/**
 * One PostgreSQL per test run (embedded, or DATABASE_URL when given). A
 * template database gets every migration once; each test file then clones it
 * (CREATE DATABASE … TEMPLATE), so files never see each other's rows.
 */
export const TEMPLATE_DB = "wpg_test_template";

declare global {
  // eslint-disable-next-line no-var
  var __embeddedPostgres: RunningPostgres | undefined;
}


function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "wpg-test-pg-"));
    const pg = await startEmbeddedPostgres({ dataDir, port: 0, fastUnsafe: true, persistent: false });
    globalThis.__embeddedPostgres = pg;
    adminUrl = pg.url;
    // The URL the service itself would use for this server (its unix socket); tests otherwise use TCP, which a
    // proxy can sit on.
    process.env.TEST_PG_LOCAL_URL = pg.localUrl;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();

  const ds = createDataSource(withDatabase(adminUrl, TEMPLATE_DB), 2);
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  await ds.destroy();

  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = TEMPLATE_DB;
  // Tests must never talk to a developer's DATABASE_URL directly.
  delete process.env.DATABASE_URL;
}
