import { spawn } from "node:child_process";
import { projectRoot } from "../support/processes";
import { family, leaverLeaves, PATHS, startHarness, statusCounts, type Harness } from "./harness";

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * A service process killed between WeCom's answer and our commit, then
 * restarted with fresh objects. Judged on what WeCom was asked (the sandbox's
 * call log, with WeCom's per-parent answers), not on the sandbox's own
 * bookkeeping: the sandbox refuses a second transfer of a waiting parent
 * (40129), so its transfer list could never show a parent twice whatever we
 * sent.
 */
describe("a process killed between WeCom's answer and our commit", () => {
  let h: Harness;
  const parents = family(250, "wm_k");
  const everyone = [...parents.c1, ...parents.c2];
  beforeAll(async () => {
    h = await startHarness({ c1: everyone, c2: [] });
    await leaverLeaves(h);
  }, 60_000);
  afterAll(() => h.close());

  /** support/lifecycleProcess.ts in a child process on the same database and sandbox, at the test clock's instant. */
  const runProcess = (env: Record<string, string> = {}) =>
    new Promise<Exit>((resolve, reject) => {
      const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "test/handover/support/lifecycleProcess.ts"], {
        cwd: projectRoot,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/root",
          TS_NODE_PROJECT: "tsconfig.json",
          DATABASE_URL: h.db.url,
          SANDBOX_URL: h.sandbox.url,
          NOW: h.clock.now().toISOString(),
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("error", reject);
      child.on("exit", (code, signal) => resolve({ code, signal, output }));
    });

  const pendingCalls = async () =>
    (await h.db.dataSource.query(`SELECT ids FROM transfer_call WHERE state = 'pending' ORDER BY id`)).map((r: { ids: string[] }) => r.ids);

  it("restarted, it re-sends only the unrecorded call: every parent in exactly one call WeCom accepted, none forgotten", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");

    const killed = await runProcess({ KILL_AFTER_RESIGNED_REPLY: "2" });
    expect({ code: killed.code, signal: killed.signal }).toEqual({ code: null, signal: "SIGKILL" });
    // WeCom started the second batch; our database never learnt it: that call is still pending, its parents still "requested".
    const calls = () => h.sandbox.calls.callsTo(PATHS.resigned);
    expect(calls()).toHaveLength(2);
    const crashed = (calls()[1]!.body as { external_userid: string[] }).external_userid;
    expect(crashed).toHaveLength(100);
    // Every batch is recorded before it is sent: the unanswered one first, then the third, never sent.
    const pending = await pendingCalls();
    expect(pending[0]).toEqual(crashed);
    expect(pending.map((ids: string[]) => ids.length)).toEqual([100, 50]);
    expect(await statusCounts(h)).toEqual({ waiting: 100, requested: 150 });

    const restarted = await runProcess();
    expect(restarted).toMatchObject({ code: 0, signal: null });
    expect(await pendingCalls()).toEqual([]);

    // What WeCom was asked, parent by parent, with its per-parent answer.
    const asked = new Map<string, number[]>();
    for (const call of calls()) {
      const answer = call.response as { errcode: number; customer: Array<{ external_userid: string; errcode: number }> };
      expect(answer.errcode).toBe(0);
      for (const c of answer.customer) asked.set(c.external_userid, [...(asked.get(c.external_userid) ?? []), c.errcode]);
    }
    expect([...asked.keys()].sort()).toEqual([...everyone].sort());
    const notAcceptedExactlyOnce = [...asked].filter(([, codes]) => codes.filter((c) => c === 0).length !== 1).map(([p]) => p);
    expect(notAcceptedExactlyOnce).toEqual([]);
    // Only the unrecorded call was sent again (WeCom: 40129, already waiting); every other parent was asked once.
    const askedTwice = [...asked].filter(([, codes]) => codes.length > 1);
    expect(askedTwice.map(([p]) => p).sort()).toEqual([...crashed].sort());
    expect(new Set(askedTwice.map(([, codes]) => codes.join(",")))).toEqual(new Set(["0,40129"]));
    expect(calls()).toHaveLength(4);
    expect(await statusCounts(h)).toEqual({ waiting: 250 });

    h.clock.advanceHours(24);
    await h.sandbox.tick();
    await h.run();
    expect(await statusCounts(h)).toEqual({ done: 250 });
    expect(h.sandbox.state.followsOf("t_b")).toHaveLength(250);
    // Two processes start ts-node from scratch on a shared 2-core machine: minutes under load, seconds when quiet.
  }, 480_000);
});
