import { usesWeComSandbox, type Config } from "../platform/config";
import type { Logger } from "../platform/logger";
import { sandboxSecret } from "../platform/secrets/sandboxSecret";

/**
 * SESSION_SECRET signs every session and CSRF token. It is never derived:
 * with real WeCom settings config refuses to start without it, in every
 * mode; only the local sandbox mode generates a random one, kept in the data
 * folder.
 */
export function sessionSecret(config: Config, logger: Logger): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (!usesWeComSandbox(config)) throw new Error("SESSION_SECRET is required when WeCom settings are configured");
  logger.warn("SESSION_SECRET is not set: using a random sandbox-only session secret kept in the data folder");
  return sandboxSecret(config, "session-secret").toString("base64url");
}
