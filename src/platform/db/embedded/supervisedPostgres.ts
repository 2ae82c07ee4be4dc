import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../../logger";
import type { PostgresBinaries } from "./postgresBinaries";
import type { PostgresUser } from "./runAs";
import { inspectPreviousServer, removeStalePidFile, stopOrphan, SUPERVISOR_FILE } from "./stalePostmaster";

export type EmbeddedState = "starting" | "running" | "restarting" | "stopping" | "stopped";

export interface EmbeddedStatus {
  state: EmbeddedState;
  pid?: number;
  /** Restarts after unexpected exits since the service started. */
  restarts: number;
  /** Why the server last went down unexpectedly ("killed by SIGKILL", "exited with code 1: FATAL …"). */
  lastExit?: string;
  /** Since when the server has been down (undefined while running). */
  downSince?: Date;
  /** The last failed restart attempt's cause. */
  lastError?: string;
}

export interface SupervisedPostgresOptions {
  binaries: PostgresBinaries;
  user: PostgresUser;
  pgdata: string;
  port: number;
  password: string;
  superuser: string;
  initdbFlags: string[];
  postgresFlags: string[];
  /** Where the server makes its unix socket (unix_socket_directories). */
  socketDirectory: string;
  logger?: Logger;
  /** How long a start (including crash recovery) may take before it counts as failed. */
  startTimeoutMs?: number;
  /** Called once the postgres process is spawned (before it is ready): from then on it boots without our event loop. */
  onSpawned?: () => void;
}

const READY = "database system is ready to accept connections";
/** Lines that show PostgreSQL's own crash recovery at work: worth an info line, not debug. */
const RECOVERY = /database system was (interrupted|not properly shut down)|automatic recovery|redo (starts|done)/;
const backoffMs = (attempt: number) => Math.min(250 * 2 ** attempt, 5_000);

/**
 * One embedded PostgreSQL server, started as a child in its own process
 * group (a Ctrl-C reaches only the service, which stops the database last)
 * and supervised: if it dies, it is started again with backoff until it
 * runs, and status() says what is wrong meanwhile. A leftover server of the
 * same data folder (the service was killed with -9) is stopped first, and
 * PostgreSQL's own crash recovery brings the data back.
 */
export class SupervisedPostgres {
  private child: ChildProcess | undefined;
  private current: EmbeddedStatus = { state: "stopped", restarts: 0 };
  private recent: string[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> | undefined;
  /** A start or restart in progress: stop() waits for it, so no server is left running behind a stop. */
  private launching: Promise<void> | undefined;
  private stopRequested = false;

  constructor(private readonly options: SupervisedPostgresOptions) {}

  status(): EmbeddedStatus {
    return { ...this.current };
  }

  /** Initialise the folder when new, clear what a killed predecessor left, start and wait until it accepts connections. */
  async start(): Promise<void> {
    this.current = { ...this.current, state: "starting" };
    if (!existsSync(path.join(this.options.pgdata, "PG_VERSION"))) await this.initialise();
    await this.track(this.launch());
  }

  private track(launch: Promise<void>): Promise<void> {
    const settled = launch.then(
      () => undefined,
      () => undefined,
    );
    this.launching = settled;
    void settled.finally(() => {
      if (this.launching === settled) this.launching = undefined;
    });
    return launch;
  }

  async stop(deadlineMs = 8_000): Promise<void> {
    this.stopRequested = true;
    this.current = { ...this.current, state: "stopping" };
    clearTimeout(this.restartTimer);
    if (this.launching) await settlesWithin(this.launching, deadlineMs / 2);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const steps: Array<[NodeJS.Signals, number]> = [
        ["SIGINT", Math.max(deadlineMs - 2_000, 1_000)],
        ["SIGQUIT", 1_500],
        ["SIGKILL", 1_000],
      ];
      for (const [signal, waitMs] of steps) {
        child.kill(signal);
        if (await settlesWithin(this.exited!, waitMs)) break;
      }
    }
    this.child = undefined;
    rmSync(path.join(this.options.pgdata, SUPERVISOR_FILE), { force: true });
    this.current = { ...this.current, state: "stopped", pid: undefined };
  }

  private async initialise(): Promise<void> {
    const { binaries, user, pgdata, logger } = this.options;
    logger?.info({ pgdata }, "initialising embedded PostgreSQL data folder");
    // initdb reads the password from a file the postgres user can read; the password is local-only.
    const pwfile = path.join(path.dirname(pgdata), `.pgpass-init-${process.pid}`);
    writeFileSync(pwfile, `${this.options.password}\n`, { mode: 0o600 });
    if (user.uid !== undefined && user.gid !== undefined) chownSync(pwfile, user.uid, user.gid);
    try {
      const { code, signal, output, spawnError } = await runToEnd(
        binaries.initdb,
        [`--pgdata=${pgdata}`, "--auth=password", `--username=${this.options.superuser}`, `--pwfile=${pwfile}`, ...this.options.initdbFlags],
        user,
      );
      if (spawnError) throw new Error(`embedded PostgreSQL: cannot run ${binaries.initdb} as ${user.name} (${spawnError})`);
      if (code !== 0) {
        throw new Error(`embedded PostgreSQL: initdb failed (${signal ? `signal ${signal}` : `exit ${code}`}): ${lastMeaningful(output)}`);
      }
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  private async launch(): Promise<void> {
    const { binaries, user, pgdata, port, logger } = this.options;
    const previous = inspectPreviousServer(pgdata);
    if (previous.kind === "owned") {
      throw new Error(
        `embedded PostgreSQL: data folder ${pgdata} is in use by another running service (pid ${previous.ownerPid}); stop it or set EMBEDDED_PG_DIR to another folder`,
      );
    }
    if (previous.kind === "orphan") {
      logger?.warn({ pid: previous.pid, pgdata }, "a PostgreSQL server left by a killed service still holds the data folder: stopping it");
      const how = await stopOrphan(previous.pid);
      logger?.info({ pid: previous.pid, how }, "leftover PostgreSQL server stopped");
    } else if (previous.kind === "stale-file") {
      logger?.info({ pid: previous.pid, reason: previous.reason }, "removing a stale postmaster.pid");
      removeStalePidFile(pgdata);
    }

    this.recent = [];
    const child = spawn(binaries.postgres, ["-D", pgdata, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${this.options.socketDirectory}`, ...this.options.postgresFlags], {
      uid: user.uid,
      gid: user.gid,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C", LANG: "C" },
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    this.options.onSpawned?.();
    const startTimeoutMs = this.options.startTimeoutMs ?? 120_000;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill("SIGQUIT");
        reject(new Error(`embedded PostgreSQL did not become ready within ${startTimeoutMs / 1000} s: ${lastMeaningful(this.recent)}`));
      }, startTimeoutMs);
      const onLine = (line: string) => {
        this.remember(line);
        if (RECOVERY.test(line)) logger?.info({ pg: line }, "embedded PostgreSQL crash recovery");
        else logger?.debug({ pg: line }, "embedded postgres");
        if (!ready && line.includes(READY)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      lines(child.stderr!, onLine);
      lines(child.stdout!, onLine);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(new Error(`embedded PostgreSQL: cannot run ${binaries.postgres} as ${user.name} (${err.message})`));
      });
      child.once("exit", (code, signal) => {
        if (ready) return this.onUnexpectedExit(child, describeExit(code, signal, this.recent));
        clearTimeout(timer);
        reject(new Error(`embedded PostgreSQL exited while starting (${signal ? `signal ${signal}` : `exit ${code}`}): ${lastMeaningful(this.recent)}`));
      });
    });
    writeFileSync(path.join(pgdata, SUPERVISOR_FILE), `${process.pid}\n`);
    if (this.stopRequested) return;
    this.current = { state: "running", pid: child.pid, restarts: this.current.restarts, lastExit: this.current.lastExit };
  }

  private onUnexpectedExit(child: ChildProcess, why: string): void {
    if (child !== this.child || this.stopRequested) return;
    this.options.logger?.error({ pgdata: this.options.pgdata, cause: why }, `embedded PostgreSQL went down (${why}): restarting it`);
    this.current = { state: "restarting", restarts: this.current.restarts, lastExit: why, downSince: new Date() };
    this.scheduleRestart(0);
  }

  private scheduleRestart(attempt: number): void {
    this.restartTimer = setTimeout(() => {
      if (this.stopRequested) return;
      this.track(this.launch()).then(
        () => {
          this.current = { ...this.current, restarts: this.current.restarts + 1, downSince: undefined, lastError: undefined };
          this.options.logger?.info({ attempt: attempt + 1, restarts: this.current.restarts }, "embedded PostgreSQL is running again");
        },
        (err: Error) => {
          if (this.stopRequested) return;
          this.current = { ...this.current, state: "restarting", lastError: err.message };
          this.options.logger?.warn({ attempt: attempt + 1, err: err.message }, "embedded PostgreSQL restart failed; retrying");
          this.scheduleRestart(attempt + 1);
        },
      );
    }, backoffMs(attempt));
    this.restartTimer.unref?.();
  }

  private remember(line: string): void {
    this.recent.push(line);
    if (this.recent.length > 40) this.recent.shift();
  }
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = "";
  stream.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
  });
}

/** The line that explains a failure: the last FATAL/PANIC/ERROR, else the last line. */
export function lastMeaningful(output: string[]): string {
  const bad = [...output].reverse().find((l) => /\b(FATAL|PANIC|ERROR)\b|initdb: error/.test(l));
  return (bad ?? output[output.length - 1] ?? "no output").slice(0, 500);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, recent: string[]): string {
  const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
  // Backends dying with their postmaster say so; that is the effect, not the cause.
  const bad = recent.filter((l) => /\b(FATAL|PANIC)\b/.test(l) && !l.includes("unexpected postmaster exit")).pop();
  return bad ? `${how}: ${bad.slice(0, 300)}` : how;
}

function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function runToEnd(
  command: string,
  args: string[],
  user: PostgresUser,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string[]; spawnError?: string }> {
  return new Promise((resolve) => {
    const output: string[] = [];
    const child = spawn(command, args, { uid: user.uid, gid: user.gid, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C", LANG: "C" } });
    lines(child.stdout!, (l) => output.push(l));
    lines(child.stderr!, (l) => output.push(l));
    child.once("error", (err) => resolve({ code: null, signal: null, output, spawnError: err.message }));
    child.once("close", (code, signal) => resolve({ code, signal, output }));
  });
}
