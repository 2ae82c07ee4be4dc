import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const projectRoot = path.resolve(__dirname, "../..");

export { freeLoopbackPort as freePort } from "../../src/platform/db/embeddedPostgres";

export interface SpawnedService {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Run src/main.ts in a child process, as `npm start` would run the built file. */
export function spawnService(env: Record<string, string>): SpawnedService {
  let output = "";
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/main.ts"], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", TS_NODE_PROJECT: "tsconfig.json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await fetch(url);
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Processes whose command line mentions the marker (e.g. a data directory). */
export function processesMatching(marker: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

/**
 * Run the built service as an operator would: `npm start` (its build step
 * skips compiling when nothing changed), or `node dist/src/main.js`. The
 * process gets its own group so kill(-pid) reaches npm and the service, as a
 * kill -9 of the service would, while the embedded PostgreSQL (its own group)
 * is left behind.
 */
export function spawnBuiltService(env: Record<string, string>, options: { npm?: boolean } = {}): SpawnedService & { killGroup(signal: NodeJS.Signals): void } {
  let output = "";
  const [command, args] = options.npm ? ["npm", ["start", "--silent"]] : [process.execPath, ["dist/src/main.js"]];
  const child = spawn(command as string, args as string[], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    killGroup(signal) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    },
  };
}

/** `npm start`'s build step, run once before a test starts built services. */
export function buildIfChanged(): void {
  execFileSync(process.execPath, ["scripts/build-if-changed.js"], { cwd: projectRoot, stdio: "pipe" });
}
