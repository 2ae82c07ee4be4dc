import { spawn, type ChildProcess } from "node:child_process";
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

export { spawnBuiltService, buildIfChanged, processesMatching, type BuiltService } from "../../bench/support/builtService";
