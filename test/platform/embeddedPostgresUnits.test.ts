import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspectPreviousServer, isPostmasterOf, SUPERVISOR_FILE, type ProcessView } from "../../src/platform/db/embedded/stalePostmaster";
import { lastMeaningful } from "../../src/platform/db/embedded/supervisedPostgres";
import { checkLiveness, describeEmbedded, EMBEDDED_DOWN_LIMIT_MS } from "../../src/platform/db/readiness";

describe("a previous server on our data folder", () => {
  const pgdata = mkdtempSync(path.join(os.tmpdir(), "wpg-stale-"));
  afterAll(() => rmSync(pgdata, { recursive: true, force: true }));
  const procs = (table: Record<number, { argv: string[]; ppid: number }>): ProcessView => ({
    alive: (pid) => pid in table,
    cmdline: (pid) => table[pid]?.argv,
    parentPid: (pid) => table[pid]?.ppid,
  });
  const postgres = ["/x/native/bin/postgres", "-D", pgdata, "-p", "5432"];
  const pidFile = (pid: number) => writeFileSync(path.join(pgdata, "postmaster.pid"), `${pid}\n${pgdata}\n`);

  it("is none without a pid file", () => {
    rmSync(path.join(pgdata, "postmaster.pid"), { force: true });
    expect(inspectPreviousServer(pgdata, procs({}))).toEqual({ kind: "none" });
  });

  it("is a stale file when the pid is gone or now runs another program", () => {
    pidFile(4242);
    expect(inspectPreviousServer(pgdata, procs({}))).toEqual({ kind: "stale-file", pid: 4242, reason: "process gone" });
    expect(inspectPreviousServer(pgdata, procs({ 4242: { argv: ["/usr/bin/sleep", "100"], ppid: 1 } }))).toEqual({
      kind: "stale-file",
      pid: 4242,
      reason: "pid now belongs to another program",
    });
    // A postgres of ANOTHER folder is not ours to stop.
    expect(inspectPreviousServer(pgdata, procs({ 4242: { argv: ["/x/bin/postgres", "-D", "/elsewhere"], ppid: 1 } })).kind).toBe("stale-file");
  });

  it("is an orphan when our folder's postmaster lost its service (re-parented to init)", () => {
    pidFile(4242);
    writeFileSync(path.join(pgdata, SUPERVISOR_FILE), "999\n");
    expect(inspectPreviousServer(pgdata, procs({ 4242: { argv: postgres, ppid: 1 } }))).toEqual({ kind: "orphan", pid: 4242 });
  });

  it("is owned while the live service that started it still runs: never stopped", () => {
    pidFile(4242);
    writeFileSync(path.join(pgdata, SUPERVISOR_FILE), "999\n");
    expect(
      inspectPreviousServer(pgdata, procs({ 4242: { argv: postgres, ppid: 999 }, 999: { argv: ["/usr/bin/node", "dist/src/main.js"], ppid: 1 } })),
    ).toMatchObject({ kind: "owned", pid: 4242, ownerPid: 999 });
  });

  it("matches the folder by its real path", () => {
    expect(isPostmasterOf(["/a/postgres", "-D", `${pgdata}/.`], pgdata)).toBe(true);
    expect(isPostmasterOf(["/a/postgres-helper", "-D", pgdata], pgdata)).toBe(false);
  });
});

describe("embedded server health", () => {
  const down = { state: "restarting" as const, restarts: 0, lastExit: "killed by SIGKILL", downSince: new Date("2026-03-02T01:00:00Z") };

  it("says what is wrong while restarting", () => {
    expect(describeEmbedded({ ...down, lastError: "embedded PostgreSQL exited while starting (exit 1): FATAL: x" })).toBe(
      "embedded PostgreSQL is restarting after it went down (killed by SIGKILL); last attempt: embedded PostgreSQL exited while starting (exit 1): FATAL: x",
    );
  });

  it("stays alive while the supervisor can still bring it back, and fails liveness after a minute down", () => {
    expect(checkLiveness(undefined, new Date())).toEqual({ alive: true });
    expect(checkLiveness(down, new Date(down.downSince.getTime() + EMBEDDED_DOWN_LIMIT_MS))).toEqual({ alive: true });
    expect(checkLiveness(down, new Date(down.downSince.getTime() + EMBEDDED_DOWN_LIMIT_MS + 1))).toEqual({
      alive: false,
      error: "embedded PostgreSQL is restarting after it went down (killed by SIGKILL)",
    });
  });

  it("names the line that explains a failed start", () => {
    expect(lastMeaningful(["LOG: starting", "FATAL:  lock file \"postmaster.pid\" already exists", "LOG: shut down"])).toBe(
      'FATAL:  lock file "postmaster.pid" already exists',
    );
    expect(lastMeaningful([])).toBe("no output");
  });
});
