/**
 * One run of the transfer lifecycle in a process of its own, with objects
 * built from scratch (fresh client, token cache, connections), as a restarted
 * service would have. Spawned by transferCrash.test.ts:
 *   DATABASE_URL, SANDBOX_URL, NOW (ISO instant for the clock);
 *   KILL_AFTER_RESIGNED_REPLY=n: SIGKILL this process as soon as WeCom has
 *   answered the n-th resigned transfer call, before our transaction records
 *   that answer — no finally block, no rollback hook, the connection simply
 *   drops, as on a power cut or an OOM kill.
 * Prints the run's summary as one JSON line.
 */
import "reflect-metadata";
import { createDataSource } from "../../../ormconfig";
import { runTransferLifecycle } from "../../../src/handover/lifecycle";
import { TestClock } from "../../../src/platform/clock";
import { handoverObjects } from "../harness";

async function main(): Promise<void> {
  const dataSource = createDataSource(process.env.DATABASE_URL!, 4);
  await dataSource.initialize();
  const { client, deps } = handoverObjects(dataSource, new TestClock(process.env.NOW!), process.env.SANDBOX_URL!);
  const killAfter = Number(process.env.KILL_AFTER_RESIGNED_REPLY ?? 0);
  if (killAfter > 0) {
    const api = client.customerTransfer;
    const real = api.resignedTransferCustomer.bind(api);
    let replies = 0;
    api.resignedTransferCustomer = async (req) => {
      const reply = await real(req);
      if (++replies === killAfter) process.kill(process.pid, "SIGKILL");
      return reply;
    };
  }
  const run = await runTransferLifecycle(deps);
  process.stdout.write(`${JSON.stringify(run)}\n`);
  await dataSource.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
