import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDataSource } from "../../ormconfig";
import type { Database } from "../platform/db/database";
import { startEmbeddedPostgres } from "../platform/db/embeddedPostgres";
import { pgPool } from "../platform/db/pgPool";
import { keepPoolClientErrorsHandled } from "../platform/db/poolClientErrors";
import { createLogger } from "../platform/logger";
import { startStoryEnv } from "./env";
import { DEVTOOLS_DEFAULT, prepareForBrowsing, serveInstructions, untilStopped } from "./serve";
import { playStory, summaryTable } from "./story";
import { createTranscript } from "./transcript";

/**
 * `npm run demo`: a throw-away embedded PostgreSQL, the WeCom sandbox and the
 * service on one test clock, then the story with a readable transcript.
 * Exit code 0 only when every step did what it says. With `--serve` the world
 * stays up after the story (on PORT, 3000 by default: the mini-program's
 * develop address) until Ctrl-C, and the demo prints how to sign in as each
 * of its people.
 */
async function main(): Promise<number> {
  const serve = process.argv.includes("--serve");
  const port = serve ? Number(process.env.PORT || 3000) : 0;
  const started = performance.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "wpg-demo-"));
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print("企业微信家长关系守护 · 演示 / WeCom Parent Guard — demo");
  print("启动嵌入式 PostgreSQL、企业微信沙箱和服务 · starting embedded PostgreSQL, the WeCom sandbox and the service …");
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "silent", pretty: false });
  const pg = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, fastUnsafe: true });
  let exitCode = 1;
  try {
    const dataSource = createDataSource(pg.localUrl, 10);
    await dataSource.initialize();
    // As the service (openDatabase): a lost connection held between statements is logged, never the process's end.
    keepPoolClientErrorsHandled(pgPool(dataSource), logger);
    await dataSource.runMigrations({ transaction: "each" });
    const database: Database = { dataSource, url: pg.localUrl, close: () => dataSource.destroy() };
    // Served, links and the login's redirect_uri must point at this computer, not the story's example domain.
    const env = await startStoryEnv(database, logger, serve ? { port, publicBaseUrl: `http://127.0.0.1:${port}`, devToolsSignInAs: process.env.SANDBOX_DEVTOOLS_USER || DEVTOOLS_DEFAULT } : {});
    try {
      const result = await playStory(env, createTranscript(print));
      print("");
      for (const line of summaryTable(result)) print(line);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (result.ok) print(`\n✓ 全部步骤通过 · every step did what it says (${seconds} s)`);
      else print(`\n✗ 有步骤未通过 · some steps failed (${seconds} s)${result.error ? `: step ${result.error.step}: ${result.error.message}` : ""}`);
      exitCode = result.ok ? 0 : 1;
      if (serve) {
        await prepareForBrowsing(env);
        print("");
        for (const line of serveInstructions(env)) print(line);
        await untilStopped();
        print("已停止 · stopped");
      }
    } finally {
      await env.stop();
      await database.close();
    }
  } finally {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
