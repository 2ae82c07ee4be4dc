import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { STAGING_ROOT } from "./postgresBinaries";
import { canEnter, type PostgresUser } from "./runAs";

export interface DataPlacement {
  /** The directory PostgreSQL is given (-D): reachable by the user it runs as. */
  pgdata: string;
  /** Set when the data lives outside the configured folder, which then holds a symlink to it. */
  relocatedFrom?: string;
}

/**
 * Where the cluster's files live. Normally the configured folder itself. As
 * root with the folder somewhere the postgres user cannot enter (a clone in
 * /root, mode 0700), the files live under /var/lib/wecom-parent-guard/data/
 * instead (one folder per configured path) and the configured path becomes a
 * symlink to them, so `ls .data/postgres` still shows where the data is.
 */
export function placeDataDirectory(configured: string, user: PostgresUser): DataPlacement {
  const wanted = path.resolve(configured);
  const link = lstatSync(wanted, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(wanted), readlinkSync(wanted));
    ensureOwned(target, user);
    return { pgdata: target, relocatedFrom: wanted };
  }
  mkdirSync(path.dirname(wanted), { recursive: true });
  if (user.uid === undefined || canEnter(user, path.dirname(wanted))) {
    ensureOwned(wanted, user);
    return { pgdata: wanted };
  }
  if (link?.isDirectory()) {
    if (existsSync(path.join(wanted, "PG_VERSION"))) {
      throw new Error(
        `embedded PostgreSQL: the postgres user cannot reach the existing data folder ${wanted} (a parent folder is private); ` +
          `move it (mv ${wanted} ${relocatedPath(wanted)} && ln -s ${relocatedPath(wanted)} ${wanted}) or set EMBEDDED_PG_DIR to a folder others may enter`,
      );
    }
    if (readdirSync(wanted).length > 0) throw new Error(`embedded PostgreSQL: ${wanted} is not empty and not a PostgreSQL data folder`);
    rmdirSync(wanted);
  }
  const target = relocatedPath(wanted);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
  chmodSync(STAGING_ROOT, 0o755);
  chmodSync(path.dirname(target), 0o755);
  ensureOwned(target, user);
  symlinkSync(target, wanted);
  return { pgdata: target, relocatedFrom: wanted };
}

function relocatedPath(wanted: string): string {
  const id = createHash("sha256").update(wanted).digest("hex").slice(0, 12);
  return path.join(STAGING_ROOT, "data", `${path.basename(wanted)}-${id}`);
}

/** PostgreSQL insists its data folder is owned by the user it runs as, mode 0700. */
function ensureOwned(dir: string, user: PostgresUser): void {
  mkdirSync(dir, { recursive: true });
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
}
