import { RiskWindowRows1766720000001 } from "../../migrations/1766720000001-RiskWindowRows";
import { RiskStateCache } from "../../src/alerts/detection/riskStateCache";
import { fromStored, toStoredHead, toWindowRow } from "../../src/alerts/detection/riskStateCodec";
import { lockRiskStates } from "../../src/alerts/detection/riskStateStore";
import { toWindowMessage } from "../../src/alerts/rules/massMessaging";
import { initialRiskState, type StaffRiskState } from "../../src/alerts/rules/riskDetector";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "../support/testDatabase";

const AT = Date.parse("2026-03-02T01:00:00Z");
const message = (msgid: string, text: string | undefined, atMs = AT) =>
  toWindowMessage({ kind: "message", msgid, at: new Date(atMs), staffUserId: "t", externalUserIds: ["wmA"], direction: "outbound", msgtype: "text", ...(text === undefined ? {} : { text }) } as never, 1);

const state: StaffRiskState = {
  ...initialRiskState("t"),
  watermarkMs: AT,
  outbound: [
    message("m1", "各位家长请注意，本校区即将停课，请尽快联系我办理转班"),
    message("m2", "ok 𠀀𠀁 加我微信 abc12"), // a character outside the BMP is one code point, two UTF-16 units
    message("m3", "好"), // one character: a one-element list of one code point
    message("m4", "好的"), // one bigram
    message("m5", undefined), // nothing to compare
  ],
};

describe("risk state as stored (a head, and one row per window message with its bigrams joined)", () => {
  it("reads back exactly the state it stored", () => {
    expect(state.outbound.map((m) => m.shingles?.length ?? null)).toEqual([expect.any(Number), expect.any(Number), 1, 1, null]);
    const rows = state.outbound.map(toWindowRow);
    expect(rows.slice(2).map((r) => r.shingles)).toEqual(["好", "好的", null]);
    const roundTrip = JSON.parse(JSON.stringify({ head: toStoredHead(state), rows }));
    expect(fromStored("t", roundTrip.head, roundTrip.rows)).toEqual(state);
  });

  it("takes the member's id from the row, not the JSON (a userid renamed in WeCom moves the row)", () => {
    expect(fromStored("t_renamed", { ...toStoredHead(state), staffUserId: "t" } as never, []).staffUserId).toBe("t_renamed");
  });
});

describe("migration: windows move out of the state's JSON into rows", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  it("moves every window in its order (bigrams stored as an array or joined), and back down", async () => {
    const migration = new RiskWindowRows1766720000001();
    const runner = db.dataSource.createQueryRunner();
    const q = (sql: string, params: unknown[] = []) => runner.query(sql, params);
    // Three messages of the same second, not in msgid order: only the stored order says which came first.
    const tied: StaffRiskState = { ...state, staffUserId: "t2", outbound: [message("z", "同一秒的第一条消息"), message("a", "同一秒的第二条消息"), message("m", "同一秒的第三条")] };
    try {
      await migration.down(runner);
      const asArrays = { ...state, outbound: state.outbound }; // bigrams as arrays, as stored before 2026-11-25
      const joined = { ...tied, outbound: tied.outbound.map((m) => ({ ...m, shingles: m.shingles?.join("") ?? null })) };
      await q(`INSERT INTO risk_staff_state (staff_userid, state, updated_at) VALUES ('t', $1, now()), ('t2', $2, now())`, [JSON.stringify(asArrays), JSON.stringify(joined)]);
      await migration.up(runner);
      const read = await lockRiskStates(db.dataSource.manager, ["t", "t2"], new RiskStateCache());
      expect(read.states.get("t")).toEqual(state);
      expect(read.states.get("t2")).toEqual(tied);
      expect(Object.fromEntries(read.windowOrd)).toEqual({ t: 5, t2: 3 });
      expect(await q(`SELECT count(*)::int AS n FROM risk_staff_state WHERE state ? 'outbound'`)).toEqual([{ n: 0 }]);

      await migration.down(runner);
      const [down] = await q(`SELECT state FROM risk_staff_state WHERE staff_userid = 't2'`);
      expect(down.state.outbound.map((m: { msgid: string }) => m.msgid)).toEqual(["z", "a", "m"]);
      await migration.up(runner);
      expect((await lockRiskStates(db.dataSource.manager, ["t2"], new RiskStateCache())).states.get("t2")).toEqual(tied);
    } finally {
      await runner.release();
    }
  });

  it("orders messages of the same second by their position, not by how the table happens to hold them", async () => {
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    await q(`INSERT INTO risk_staff_state (staff_userid, state, window_ord, updated_at) VALUES ('t3', $1, 3, now())`, [JSON.stringify(toStoredHead(state))]);
    // Written last to first: a read in the table's own order would get them backwards.
    for (const [ord, msgid] of [[3, "m"], [2, "a"], [1, "z"]] as const) {
      const r = toWindowRow(message(msgid, `同一秒的消息${msgid}`));
      await q(`INSERT INTO risk_window_message (staff_userid, msgid, at_ms, ord, parents, conversation, shingles) VALUES ('t3', $1, $2, $3, $4, $5, $6)`, [
        r.msgid, r.at_ms, ord, r.parents, r.conversation, r.shingles,
      ]);
    }
    const read = await lockRiskStates(db.dataSource.manager, ["t3"], new RiskStateCache());
    expect(read.states.get("t3")!.outbound.map((w) => w.msgid)).toEqual(["z", "a", "m"]);
  });
});
