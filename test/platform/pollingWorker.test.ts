import { PollingWorker } from "../../src/platform/pollingWorker";
import { silentLogger } from "../../src/platform/logger";

/** A worker with `backlog` units of work, taken one batch of `batch` per loop iteration, stopping between batches. */
class CountingWorker extends PollingWorker {
  readonly name = "counting";
  constructor(public backlog: number, private readonly batch = 10) {
    super(60_000, silentLogger());
  }
  protected async pass(): Promise<number> {
    let done = 0;
    while (!this.stopping && this.backlog > 0) {
      const take = Math.min(this.batch, this.backlog);
      this.backlog -= take;
      done += take;
      await new Promise((r) => setImmediate(r));
    }
    return done;
  }
}

describe("PollingWorker", () => {
  it("a drain by hand after stop() does the work left (it used to return 0 because the stop was still remembered)", async () => {
    const worker = new CountingWorker(0);
    worker.start();
    await worker.stop();
    worker.backlog = 35;
    expect(await worker.drain()).toBe(35);
    expect(worker.backlog).toBe(0);
  });

  it("stop() during a hand-run drain still ends it between batches", async () => {
    const worker = new CountingWorker(1_000);
    const draining = worker.drain();
    await new Promise((r) => setImmediate(r));
    await worker.stop();
    const done = await draining;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(1_000);
    expect(worker.backlog).toBe(1_000 - done);
  });
});
