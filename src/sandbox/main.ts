import path from "node:path";
import { loadConfig } from "../platform/config";
import { createLogger } from "../platform/logger";
import { systemClock } from "../platform/clock";
import { loadOrCreateArchiveKey, SANDBOX_ARCHIVE_KEY_VERSION } from "./archive/archiveKeyFile";
import { DEMO_CORP } from "./demoCorp";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: process.stdout.isTTY });
  const callbackUrl = process.env.SANDBOX_CALLBACK_URL ?? "http://127.0.0.1:3000/wecom/callback";
  const sandbox = await startSandbox({
    clock: systemClock,
    port: config.SANDBOX_PORT,
    host: "0.0.0.0",
    callbackUrl,
    logger,
    callbackRetryDelayMs: 1000,
    // A development tool: DevTools' login codes sign in as SANDBOX_DEVTOOLS_USER, or whoever is chosen on its page.
    devToolsLogin: { signInAs: config.SANDBOX_DEVTOOLS_USER },
  });
  sandbox.state.seed(DEMO_CORP);
  const { file: keyFile } = loadOrCreateArchiveKey(sandbox.archive, path.resolve(".data/sandbox"));
  logger.info(
    { url: `http://127.0.0.1:${sandbox.port}`, callbackUrl, archiveKeyFile: keyFile, archiveKeyVersion: SANDBOX_ARCHIVE_KEY_VERSION },
    "WeCom sandbox listening (set WECOM_API_BASE to its url; give the key file to WECOM_ARCHIVE_PRIVATE_KEYS)",
  );
  const shutdown = () => void sandbox.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
