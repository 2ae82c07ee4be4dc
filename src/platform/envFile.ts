import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Reads `.env` (when present) into the environment before the configuration
 * is validated: the variables `.env.example` documents, for `npm start` and
 * `npm run dev` on a laptop. Node's own parser (util.parseEnv, Node ≥ 20.12:
 * quotes, `#` comments) — no dependency. A variable already set in the shell
 * wins, as with `node --env-file`; an empty value means "use the default",
 * as `.env.example` writes it. Answers which file was read, for the log.
 */
export function loadEnvFile(path = ".env", env: NodeJS.ProcessEnv = process.env): { path: string; keys: string[] } | undefined {
  if (!existsSync(path)) return undefined;
  const keys: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, "utf8")))) {
    if (value === "" || env[key] !== undefined) continue;
    env[key] = value;
    keys.push(key);
  }
  return { path, keys };
}
