import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createPublicKey } from "node:crypto";
import path from "node:path";
import { loadConfig } from "../platform/config";
import { createLogger } from "../platform/logger";
import { systemClock } from "../platform/clock";
import type { ChatArchive } from "./archive/chatArchive";
import { DEMO_CORP } from "./demoCorp";
import { startSandbox } from "./server";

const ARCHIVE_KEY_VERSION = 1;

/**
 * The archive key survives restarts (the service was configured with it), so
 * it is kept next to the embedded database rather than regenerated.
 */
function loadOrCreateArchiveKey(archive: ChatArchive, dir: string): string {
  const file = path.join(dir, `archive-key-v${ARCHIVE_KEY_VERSION}.pem`);
  if (existsSync(file)) {
    const privateKey = readFileSync(file, "utf8");
    const publicKey = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
    archive.useKeyPair(ARCHIVE_KEY_VERSION, publicKey, privateKey);
    return file;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, archive.addKeyVersion(ARCHIVE_KEY_VERSION), { mode: 0o600 });
  return file;
}

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
  });
  sandbox.state.seed(DEMO_CORP);
  const keyFile = loadOrCreateArchiveKey(sandbox.archive, path.resolve(".data/sandbox"));
  logger.info(
    { url: `http://127.0.0.1:${sandbox.port}`, callbackUrl, archiveKeyFile: keyFile, archiveKeyVersion: ARCHIVE_KEY_VERSION },
    "WeCom sandbox listening (set WECOM_API_BASE to its url; give the key file to WECOM_ARCHIVE_PRIVATE_KEYS)",
  );
  const shutdown = () => void sandbox.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
