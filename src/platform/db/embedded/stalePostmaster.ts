import { readFileSync, realpathSync, rmSync } from "node:fs";
import path from "node:path";

/** What postmaster.pid says about a previous server on this data folder. */
export type PreviousServer =
  | { kind: "none" }
  /** The pid file names a process that is gone, or one that is not a postmaster of this folder (pid reused). */
  | { kind: "stale-file"; pid: number; reason: string }
  /** A postmaster of this very folder whose parent is gone: left behind by a killed service. */
  | { kind: "orphan"; pid: number }
  /** A postmaster of this folder still owned by a live process (another service on the same folder). */
  | { kind: "owned"; pid: number; ownerPid: number; owner: string };

export interface ProcessView {
  alive(pid: number): boolean;
  /** argv of a process, or undefined when unreadable. */
  cmdline(pid: number): string[] | undefined;
  parentPid(pid: number): number | undefined;
}

export const procView: ProcessView = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "EPERM";
    }
  },
  cmdline(pid) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      return undefined;
    }
  },
  parentPid(pid) {
    try {
      // Field 4 of /proc/<pid>/stat, after the command name in parentheses (which may itself contain spaces).
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return undefined;
    }
  },
};

/**
 * Ours means: the pid in postmaster.pid is alive, runs a `postgres` binary,
 * and its `-D` is this data folder. Only then may we stop it; anything else
 * in the pid file is a stale file. It is an orphan (left by a killed service,
 * re-parented to init or a subreaper) unless its parent is still a live
 * process that recorded itself as its supervisor or is a Node process:
 * another service using the folder right now, which we must not stop.
 */
export function inspectPreviousServer(pgdata: string, procs: ProcessView = procView): PreviousServer {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(pgdata, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return { kind: "none" };
  }
  if (!Number.isInteger(pid) || pid <= 0) return { kind: "stale-file", pid: 0, reason: "unreadable pid" };
  if (!procs.alive(pid)) return { kind: "stale-file", pid, reason: "process gone" };
  const argv = procs.cmdline(pid);
  if (!argv || !isPostmasterOf(argv, pgdata)) return { kind: "stale-file", pid, reason: "pid now belongs to another program" };
  const ownerPid = procs.parentPid(pid);
  const supervisor = readSupervisorPid(pgdata);
  if (ownerPid !== undefined && ownerPid > 1 && procs.alive(ownerPid)) {
    const owner = procs.cmdline(ownerPid) ?? [];
    if (ownerPid === supervisor || path.basename(owner[0] ?? "").startsWith("node")) return { kind: "owned", pid, ownerPid, owner: owner.join(" ") };
  }
  return { kind: "orphan", pid };
}

export function isPostmasterOf(argv: string[], pgdata: string): boolean {
  if (path.basename(argv[0] ?? "") !== "postgres") return false;
  const i = argv.indexOf("-D");
  if (i < 0 || !argv[i + 1]) return false;
  return sameDir(argv[i + 1]!, pgdata);
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * Stop an orphaned postmaster of our folder with an immediate shutdown
 * (SIGQUIT: no checkpoint, so it is gone at once and PostgreSQL's crash
 * recovery replays the WAL at our start, which is what a restart after a
 * crash should do and is faster than a fast shutdown's checkpoint), then
 * SIGKILL. Resolves once the process is gone.
 */
export async function stopOrphan(pid: number, procs: ProcessView = procView): Promise<string> {
  const steps: Array<[NodeJS.Signals, number]> = [
    ["SIGQUIT", 3_000],
    ["SIGKILL", 3_000],
  ];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return "already gone";
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!procs.alive(pid)) return `stopped with ${signal}`;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`embedded PostgreSQL: a leftover server (pid ${pid}) of this data folder would not stop`);
}

export function removeStalePidFile(pgdata: string): void {
  rmSync(path.join(pgdata, "postmaster.pid"), { force: true });
}

/** The supervising process records its pid beside PostgreSQL's own lock file. */
export const SUPERVISOR_FILE = "wpg-supervisor.pid";

export function readSupervisorPid(pgdata: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(pgdata, SUPERVISOR_FILE), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
