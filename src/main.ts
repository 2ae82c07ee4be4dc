import "reflect-metadata";
import { ConfigError, loadConfig } from "./platform/config";
import { exitOnSignals } from "./platform/lifecycle";
import { createLogger } from "./platform/logger";
import { startService } from "./service";

async function main(): Promise<void> {
  let config;
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
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection"));
  try {
    const service = await startService(config, logger);
    exitOnSignals(service.lifecycle, logger, config.SHUTDOWN_TIMEOUT_MS);
  } catch (err) {
    // One line that names the cause: operators read the message, the stack is in err.
    logger.fatal({ err }, `service failed to start: ${startFailureCause(err)}`);
    logger.flush?.();
    process.exit(1);
  }
}

void main();

function startFailureCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split("\n")[0] ?? "").trim() || "unknown error";
}
