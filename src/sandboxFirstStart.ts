import type { Job } from "./platform/jobs";
import type { Background } from "./platform/lifecycle";
import type { PlatformServices } from "./platform/services";

const STAFF_WAIT_MS = 30_000;

/**
 * `npm start` against the built-in WeCom sandbox, first start: the parents are read at once instead of on
 * Sunday night's resync, so a local try-out has teachers with parents from the first minute (roles come from
 * the sandbox's demo corp, seeded by org). The directory sync runs at every start already; this waits for its
 * staff (or runs it, when schedules are off) and then runs the parents resync once — only while no parent
 * relation is stored, so later starts do nothing here.
 */
export function sandboxFirstStart(services: PlatformServices, jobs: readonly Job[]): Background & { finished(): Promise<void> } {
  const { dataSource, logger } = services;
  const job = (name: string): Job => {
    const found = jobs.find((j) => j.name === name);
    if (!found) throw new Error(`sandbox first start: no job named ${name}`);
    return found;
  };
  const count = async (sql: string): Promise<number> => Number((await dataSource.query(sql))[0]?.n ?? 0);
  let stopped = false;
  let running: Promise<void> | undefined;

  async function run(): Promise<void> {
    if ((await count(`SELECT count(*)::int AS n FROM follow_relation`)) > 0) return;
    // The scheduler's start-up run of the directory sync fills staff; without schedules nothing will.
    const deadline = Date.now() + (services.config.SCHEDULES_ENABLED ? STAFF_WAIT_MS : 0);
    while (!stopped && (await count(`SELECT count(*)::int AS n FROM staff WHERE status = 1`)) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    if (stopped) return;
    if ((await count(`SELECT count(*)::int AS n FROM staff WHERE status = 1`)) === 0) await job("directory-sync").run();
    await job("parents-resync").run();
    const parents = await count(`SELECT count(*)::int AS n FROM follow_relation WHERE status = 'active'`);
    logger.warn({ parents }, "WeCom SANDBOX first start: parents synced now (later starts leave them to the weekly resync)");
  }

  return {
    name: "sandbox-first-start",
    start() {
      running = run().catch((err: unknown) => logger.error({ err }, "WeCom SANDBOX first start: syncing parents failed (POST /ops/sync/parents runs it again)"));
    },
    async stop() {
      stopped = true;
      await running;
    },
    /** Resolves once the first-start work is done (or skipped): what `stop` waits for, without cutting it short. */
    finished: async () => void (await running),
  };
}
