import { createHash } from "node:crypto";
import type { Config } from "../platform/config";
import type { Logger } from "../platform/logger";

/**
 * SESSION_SECRET in production (config refuses to start without it). In
 * development a fixed, clearly-logged secret keeps sessions valid across
 * restarts; it is derived from the data directory so two checkouts differ.
 */
export function sessionSecret(config: Config, logger: Logger): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  logger.warn("SESSION_SECRET is not set: using a development-only session secret");
  return createHash("sha256").update(`wpg-dev-session:${config.EMBEDDED_PG_DIR}`).digest("hex");
}
