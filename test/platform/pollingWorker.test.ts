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

/** A worker whose passes each wait until the test ends them. */
class GatedWorker extends PollingWorker {
  readonly name = "gated";
  passes = 0;
  private readonly gates: Array<() => void> = [];
  constructor() {
    super(60_000, silentLogger());
  }
  protected async pass(): Promise<number> {
    this.passes++;
    await new Promise<void>((resolve) => this.gates.push(resolve));
    return 1;
  }
  /** Ends the pass under way, once it has started. */
  async endPass(): Promise<void> {
    while (this.gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    this.gates.shift()!();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("PollingWorker", () => {
  it("wakeAndWait resolves at the end of the first pass that starts after the call, not of the pass under way", async () => {
    const worker = new GatedWorker();
    worker.start();
    while (worker.passes === 0) await tick();
    let resolved = false;
    const waiting = worker.wakeAndWait(60_000).then(() => (resolved = true));
    await worker.endPass(); // the pass under way when it was called
    while (worker.passes < 2) await tick();
    expect(resolved).toBe(false);
    await worker.endPass();
    await waiting;
    expect(worker.passes).toBe(2);
    await worker.stop();
  });

  it("wakeAndWait gives up after maxMs, resolves at once when the worker is not running, and stop() releases waiters", async () => {
    expect(await Promise.race([new GatedWorker().wakeAndWait(60_000).then(() => "at once"), tick().then(() => "waited")])).toBe("at once");

    const worker = new GatedWorker();
    worker.start();
    while (worker.passes === 0) await tick();
    const started = Date.now();
    await worker.wakeAndWait(30); // the pass under way never ends
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    let released = false;
    const waiting = worker.wakeAndWait(60_000).then(() => (released = true));
    const stopping = worker.stop();
    await worker.endPass();
    await stopping;
    await tick();
    expect(released).toBe(true);
    await waiting;
  });

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
