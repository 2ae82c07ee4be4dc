import { randomUUID } from "node:crypto";
import os from "node:os";
import cron, { type ScheduledTask } from "node-cron";
import type { DataSource } from "typeorm";
import type { Background } from "../platform/lifecycle";
import type { Logger } from "../platform/logger";
import { PostgresLeaseCoordinator } from "./leaseCoordinator";
import type { Job } from "../platform/jobs";

export type { Job } from "../platform/jobs";

/**
 * Runs jobs on node-cron, one instance per slot across the fleet (PostgreSQL
 * lease), never overlapping itself. Stopping waits for running jobs.
 */
export class Scheduler implements Background {
  readonly name = "scheduler";
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly coordinator: PostgresLeaseCoordinator;

  constructor(
    dataSource: DataSource,
    private readonly logger: Logger,
    private readonly jobs: Job[],
    private readonly leaseMs = 10 * 60_000,
    /** Instances starting within the same window of the database's clock share one start-up run. */
    private readonly startupWindowSeconds = 600,
  ) {
    this.coordinator = new PostgresLeaseCoordinator(dataSource, `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
    this.dataSource = dataSource;
  }

  private readonly dataSource: DataSource;

  start(): void {
    for (const job of [...this.jobs, this.pruneJob()]) {
      const task = cron.createTask(job.cron, () => this.track(job), {
        name: job.name,
        timezone: "Asia/Shanghai",
        noOverlap: true,
        distributed: true,
        runCoordinator: this.coordinator,
        distributedLease: this.leaseMs,
        logger: quietCronLogger(this.logger),
      });
      void task.start();
      this.tasks.push(task);
      if (job.runOnStart) void this.runAtStart(job);
    }
    this.logger.info({ jobs: this.jobs.map((j) => `${j.name} (${j.cron})`) }, "schedules started");
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.destroy()));
    await Promise.allSettled([...this.running]);
  }

  /** The start-up run, claimed like a cron slot: the key is the job and the window of the database's clock. */
  private async runAtStart(job: Job): Promise<void> {
    try {
      const [{ slot }] = (await this.dataSource.query(`SELECT floor(extract(epoch FROM now()) / $1)::bigint::text AS slot`, [this.startupWindowSeconds])) as Array<{
        slot: string;
      }>;
      const key = `startup:${job.name}:${slot}`;
      if (!(await this.coordinator.shouldRun(key, this.leaseMs))) {
        this.logger.info({ job: job.name }, "start-up run skipped: another instance ran it in this start-up window");
        return;
      }
      let ok = true;
      await this.track(job, () => (ok = false));
      // A failed start-up run is not marked complete: after its lease expires a later start may run it.
      if (ok) await this.coordinator.onComplete(key);
    } catch (err) {
      this.logger.error({ err, job: job.name }, "start-up run could not be coordinated");
    }
  }

  private track(job: Job, onFailure?: () => void): Promise<void> {
    const started = performance.now();
    const run = job
      .run()
      .then(() => this.logger.debug({ job: job.name, ms: Math.round(performance.now() - started) }, "job finished"))
      .catch((err) => {
        onFailure?.();
        this.logger.error({ err, job: job.name }, "job failed");
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return run;
  }

  private pruneJob(): Job {
    return { name: "prune-schedule-leases", cron: "17 3 * * *", run: () => this.coordinator.prune() };
  }
}

function quietCronLogger(logger: Logger) {
  return {
    info: (m: string) => logger.debug({ cron: m }, "cron"),
    warn: (m: string) => logger.warn({ cron: m }, "cron"),
    error: (m: string | Error, err?: Error) => logger.error({ err: err ?? m }, "cron"),
    debug: (m: string | Error) => logger.debug({ cron: String(m) }, "cron"),
  };
}
