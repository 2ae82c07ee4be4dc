import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { freeLoopbackPorts } from "../../src/platform/db/embeddedPostgres";
import { signedCallback } from "../signedEvents";
import { postmasterPid, processesMatching, sleep, spawnBuiltService, waitForReady, type BuiltService } from "./builtService";

/**
 * One data folder with its embedded PostgreSQL, and the built service started
 * on it as an operator would — the stage for issue 14's crash attacks. The
 * crash test asks "does it recover, is anything lost"; the crash bench asks
 * "how fast" (the 10 s the issue sets is a speed, so a bench judges it).
 */
export class CrashWorld {
  readonly root = mkdtempSync(path.join(os.tmpdir(), "wpg-crash-"));
  readonly pgdir = path.join(this.root, "pg");
  private pgPort = 0;
  private readonly started: BuiltService[] = [];

  async init(): Promise<this> {
    // The embedded PostgreSQL runs as a non-root user when we are root: it must be able to reach the folder.
    chmodSync(this.root, 0o755);
    [this.pgPort] = await freeLoopbackPorts(1);
    return this;
  }

  async start(extra: Record<string, string> = {}, options: { npm?: boolean } = {}): Promise<{ service: BuiltService; base: string }> {
    // Held open together, so the service's port and the sandbox's can never be the same (EADDRINUSE once under load).
    let [port, sandboxPort] = await freeLoopbackPorts(2);
    while (port === this.pgPort || sandboxPort === this.pgPort) [port, sandboxPort] = await freeLoopbackPorts(2);
    const service = spawnBuiltService(
      {
        NODE_ENV: "development",
        LOG_LEVEL: "info",
        LOG_PRETTY: "false",
        EMBEDDED_PG_DIR: this.pgdir,
        EMBEDDED_PG_PORT: String(this.pgPort),
        SCHEDULES_ENABLED: "false",
        WORKERS_ENABLED: "false",
        PORT: String(port),
        SANDBOX_PORT: String(sandboxPort),
        ...extra,
      },
      options,
    );
    this.started.push(service);
    return { service, base: `http://127.0.0.1:${port}` };
  }

  postmasterPid(): number | undefined {
    return postmasterPid(this.pgdir);
  }

  postgresProcesses(): string[] {
    return processesMatching(this.pgdir);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${this.pgPort}/postgres` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** SIGTERM to every service still running, waiting for each to exit. */
  async stopAll(): Promise<void> {
    for (const s of this.started.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.killGroup("SIGTERM");
        await s.exited;
      }
    }
  }

  async dispose(): Promise<void> {
    await this.stopAll();
    // Whatever a failed run left behind: the postmaster of this folder.
    const pid = this.postmasterPid();
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * The attack: callbacks stream in from 8 senders; once `ackedBeforeKill`
   * were acknowledged, the service (npm and node, not PostgreSQL) is killed
   * with -9. Then a plain `npm start`. Returns the time to ready and every
   * acknowledged callback the restarted service does not hold.
   */
  async killMidStreamThenStart(running: { service: BuiltService; base: string }, ackedBeforeKill = 200, readyWithinMs = 90_000): Promise<KillMidStreamOutcome> {
    const acknowledged: number[] = [];
    let streaming = true;
    const sender = async () => {
      while (streaming) {
        const id = nextCallbackId++;
        const signed = signedCallback(id, Math.floor(Date.now() / 1000));
        try {
          const res = await fetch(`${running.base}/wecom/callback?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
          if (res.status === 200) acknowledged.push(id);
        } catch {
          /* the service is gone: not acknowledged */
        }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    while (acknowledged.length < ackedBeforeKill) await sleep(20);
    running.service.killGroup("SIGKILL");
    await running.service.exited;
    streaming = false;
    await Promise.all(senders);
    const postmasterLeftBehind = this.postmasterPid() !== undefined && this.postgresProcesses().length > 0;

    const t0 = Date.now();
    const restarted = await this.start({}, { npm: true });
    await waitForReady(restarted.base, restarted.service, readyWithinMs);
    const readyMs = Date.now() - t0;

    const kept = await this.query<{ msgid: string }>(`SELECT substring(raw_xml from '<MsgId>([0-9]+)</MsgId>') AS msgid FROM wecom_inbox`);
    const keptIds = new Set(kept.map((r) => r.msgid));
    const lost = acknowledged.filter((id) => !keptIds.has(String(7_000_000_000_000_000_000n + BigInt(id))));
    return { restarted, readyMs, acknowledged: acknowledged.length, lost, postmasterLeftBehind };
  }

  /**
   * The other attack: the embedded PostgreSQL's postmaster is killed under a
   * running service; callbacks are sent every 100 ms until one gets 200, while
   * /readyz is watched every 20 ms for the cause. Read only between callbacks,
   * /readyz missed a restart that one callback waited out (a CI run: 200 after
   * 121 ms, the cause never seen).
   */
  async killPostgresThenCallUntil200(running: { service: BuiltService; base: string }, giveUpAfterMs = 60_000): Promise<KillPostgresOutcome> {
    process.kill(this.postmasterPid()!, "SIGKILL");
    const killedAt = Date.now();
    let sawReason = false;
    let watching = true;
    const watcher = (async () => {
      while (watching && !sawReason) {
        try {
          const ready = (await (await fetch(`${running.base}/readyz`, { signal: AbortSignal.timeout(1_000) })).json()) as { error?: string };
          if (ready.error?.includes("embedded PostgreSQL is restarting")) sawReason = true;
        } catch {
          // The service is busy restarting its database (or took over 1 s to say so); the next read may name the cause.
        }
        await sleep(20);
      }
    })();
    let status = 0;
    while (Date.now() - killedAt < giveUpAfterMs) {
      try {
        const signed = signedCallback(nextCallbackId++, Math.floor(Date.now() / 1000));
        // WeCom waits 5 s for an answer; a request that hangs longer is a failure here too, and the give-up bound holds.
        status = (
          await fetch(`${running.base}/wecom/callback?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" }, signal: AbortSignal.timeout(5_000) })
        ).status;
      } catch {
        status = 0;
      }
      if (status === 200) break;
      await sleep(100);
    }
    const recoveredMs = status === 200 ? Date.now() - killedAt : undefined;
    watching = false;
    await watcher;
    return { recoveredMs, sawReason };
  }
}

/** Callback ids are unique across every attack in one process, so a restarted service's inbox never dedupes a new one away. */
let nextCallbackId = 0;

export interface KillMidStreamOutcome {
  restarted: { service: BuiltService; base: string };
  readyMs: number;
  acknowledged: number;
  /** Acknowledged callback ids missing after the restart: must be empty. */
  lost: number[];
  /** The state that used to block every start: PostgreSQL outliving the killed service. */
  postmasterLeftBehind: boolean;
}

export interface KillPostgresOutcome {
  /** Undefined when no callback got 200 before giving up. */
  recoveredMs?: number;
  /** /readyz named the cause while PostgreSQL was down. */
  sawReason: boolean;
}
