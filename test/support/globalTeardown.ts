import { Client } from "pg";

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__embeddedPostgres;
  if (pg) {
    await pg.stop();
    return;
  }
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl) return;
  // Against a shared server, leave nothing behind.
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'wpg_test_%'`,
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
}
