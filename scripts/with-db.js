#!/usr/bin/env node
/**
 * Runs a command (the TypeORM CLI) with DATABASE_URL pointing at a database:
 * the given DATABASE_URL, or the same embedded PostgreSQL the service uses.
 */
require("ts-node/register/transpile-only");
const { spawnSync } = require("node:child_process");
const { loadConfig } = require("../src/platform/config");
const { startEmbeddedPostgres } = require("../src/platform/db/embeddedPostgres");

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error("usage: node scripts/with-db.js <command> [args...]");
    process.exit(2);
  }
  const config = loadConfig();
  let embedded;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT });
    url = embedded.url;
  }
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url, PATH: `${__dirname}/../node_modules/.bin:${process.env.PATH}` },
  });
  if (embedded) await embedded.stop();
  process.exit(result.status ?? 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
