import { execFileSync, spawnSync } from "node:child_process";

/** Who PostgreSQL runs as: ourselves, or (when we are root, which PostgreSQL refuses) the `postgres` user. */
export interface PostgresUser {
  uid?: number;
  gid?: number;
  name: string;
}

export const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * As root: the `postgres` system user, created when missing (Debian's useradd).
 * Otherwise PostgreSQL simply runs as the current user.
 */
export function postgresUser(): PostgresUser {
  if (!isRoot()) return { name: "current user" };
  let ids = lookup();
  if (!ids) {
    try {
      execFileSync("useradd", ["--system", "--user-group", "--home-dir", "/nonexistent", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], {
        stdio: "pipe",
      });
    } catch (err) {
      throw new Error(`embedded PostgreSQL cannot run as root and the "postgres" user could not be created (useradd failed: ${firstLine(err)})`);
    }
    ids = lookup();
    if (!ids) throw new Error('embedded PostgreSQL cannot run as root and the "postgres" user was not found after useradd');
  }
  return { ...ids, name: "postgres" };
}

function lookup(): { uid: number; gid: number } | undefined {
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Can `user` enter `dir` (execute permission on it and every ancestor)? Asked of the kernel, as that user. */
export function canEnter(user: PostgresUser, dir: string): boolean {
  if (user.uid === undefined) return true;
  const probe = spawnSync("/bin/sh", ["-c", 'cd "$1"', "sh", dir], { uid: user.uid, gid: user.gid, stdio: "ignore" });
  return probe.status === 0;
}

export function firstLine(err: unknown): string {
  const e = err as { stderr?: Buffer | string; message?: string };
  const text = (e?.stderr ? String(e.stderr) : "") || e?.message || String(err);
  return text.trim().split("\n")[0] ?? "";
}
