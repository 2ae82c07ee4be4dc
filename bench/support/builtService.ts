import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The repository root, from this file both as TypeScript (bench/support) and as built JavaScript (dist/bench/support). */
export const projectRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");

export interface BuiltService {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Signal the whole process group (npm and the service), as an OOM kill or `kill -9` of the service would; the embedded PostgreSQL runs in its own group and is left behind. */
  killGroup(signal: NodeJS.Signals): void;
}

/**
 * Run the built service as an operator would: `npm start` (its build step
 * skips compiling when nothing changed), or `node dist/src/main.js`. Shared by
 * the crash tests (do they recover?) and the crash bench (how fast?).
 */
export function spawnBuiltService(env: Record<string, string>, options: { npm?: boolean } = {}): BuiltService {
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

/** Processes whose command line mentions the marker (e.g. a data directory). */
export function processesMatching(marker: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

/** The embedded PostgreSQL's postmaster pid for a data folder, from its pid file. */
export function postmasterPid(pgdir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(pgdir, "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Polls /readyz until 200; throws with the service's output tail when it exits or the time is up. */
export async function waitForReady(base: string, service: BuiltService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`service exited early:\n${service.output().slice(-3000)}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(50);
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${service.output().slice(-3000)}`);
}

/** `npm start`'s build step, run once before starting built services. */
export function buildIfChanged(): void {
  execFileSync(process.execPath, ["scripts/build-if-changed.js"], { cwd: projectRoot, stdio: "pipe" });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
