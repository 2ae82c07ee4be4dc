import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config";

/**
 * A random secret for the local sandbox mode only, generated once and kept
 * in the data folder (beside the embedded database, git-ignored, mode 0600)
 * so sessions and sealed rows survive a restart. Never derived from anything
 * an attacker could know; with real WeCom settings config refuses to start
 * without the real secret instead.
 */
export function sandboxSecret(config: Config, name: "session-secret" | "data-key" | "search-index-key"): Buffer {
  const dir = path.join(path.dirname(path.resolve(config.EMBEDDED_PG_DIR)), "secrets");
  const file = path.join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // "wx": two processes starting together never overwrite each other's secret.
    writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const secret = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (secret.length !== 32) throw new Error(`${file} does not hold a 32-byte secret; delete it to generate a new one`);
  return secret;
}
