import "reflect-metadata";
import { ConfigError, loadConfig } from "./platform/config";
import { exitOnSignals } from "./platform/lifecycle";
import { startDatabaseServer } from "./platform/db/databaseServer";
import { createLogger } from "./platform/logger";
import { loadEnvFile } from "./platform/envFile";

async function main(): Promise<void> {
  let config;
  // .env (git-ignored) first, so the validation below sees it; the shell's own variables win.
  const envFile = loadEnvFile();
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const pretty = config.LOG_PRETTY ? config.LOG_PRETTY === "true" : config.NODE_ENV === "development" && process.stdout.isTTY;
  const logger = createLogger({ level: config.LOG_LEVEL, pretty });
  if (envFile) logger.info({ file: envFile.path, variables: envFile.keys }, "read settings from .env");
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection"));
  // PostgreSQL boots — or replays its WAL after a crash — in its own process
  // while this one loads the application's modules (seconds on a busy
  // machine): the two waits overlap instead of adding up. The module load is
  // synchronous and would stall the steps before the spawn (stopping a server
  // left by a killed service), so it waits for the spawn, or for the start's
  // end (DATABASE_URL, or a failure reported where the service awaits it).
  let spawned!: () => void;
  const postgresSpawned = new Promise<void>((resolve) => (spawned = resolve));
  const databaseServer = startDatabaseServer(config, logger, () => spawned());
  await Promise.race([postgresSpawned, databaseServer.then(() => undefined, () => undefined)]);
  try {
    const { startService } = await import("./service");
    const service = await startService(config, logger, { databaseServer });
    exitOnSignals(service.lifecycle, logger, config.SHUTDOWN_TIMEOUT_MS);
  } catch (err) {
    // One line that names the cause: operators read the message, the stack is in err.
    logger.fatal({ err }, `service failed to start: ${startFailureCause(err)}`);
    // A start that failed before the database was opened leaves the embedded server to us.
    await databaseServer.then((s) => s.embedded?.stop(), () => undefined);
    logger.flush?.();
    process.exit(1);
  }
}

void main();

function startFailureCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split("\n")[0] ?? "").trim() || "unknown error";
}
