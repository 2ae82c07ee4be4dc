import type { DataSource } from "typeorm";
import { detectBatch, type DetectDeps } from "../../src/alerts/detection/detectBatch";
import { RiskStateCache } from "../../src/alerts/detection/riskStateCache";
import { lockRiskStates, RiskStateConflict } from "../../src/alerts/detection/riskStateStore";
import { renameAlertsStaffUserid } from "../../src/alerts/renameStaffUserid";
import { BranchSettingsCache } from "../../src/alerts/detection/settingsCache";
import { loadAllBranchSettings, saveBranchSettings } from "../../src/alerts/store/branchSettings";
import type { MessageObservation } from "../../src/alerts/rules/observation";
import { initialRiskState, step, type StaffRiskState } from "../../src/alerts/rules/riskDetector";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createTestDatabase } from "../support/testDatabase";

/**
 * Issue 20: each instance keeps risk states in memory and reads a row's state
 * only when its version moved. Two instances (each its own copy of states and
 * settings, one database) take turns on the same teacher's messages; whatever
 * order they come in, the alerts and the stored state are exactly those of the
 * pure detector fed every message once, in order.
 */
describe("risk states kept in memory, two instances on one teacher", () => {
  let db: Database;
  let dataSource: DataSource;
  const T0 = Date.parse("2026-03-02T01:00:00Z");
  const TEXT = "各位家长请注意，本校区即将停课，请尽快联系我办理转班";

  /** The n-th message (1-based): the same text to parent n, one second apart, so every possible alert has its own key. */
  const message = (staff: string, n: number): MessageObservation => ({
    kind: "message", msgid: `${staff}_m${n}`, at: new Date(T0 + n * 1000), staffUserId: staff, direction: "outbound",
    externalUserIds: [`wm_${staff}_${n}`], msgtype: "text", text: TEXT,
  });
  const instance = (): DetectDeps => {
    const settings = new BranchSettingsCache(dataSource);
    return { settings: () => settings.get(), publicBaseUrl: "http://localhost", logger: silentLogger(), states: new RiskStateCache() };
  };
  const run = (deps: DetectDeps, staff: string, ns: number[]) =>
    dataSource.transaction((m) => detectBatch(m, ns.map((n) => message(staff, n)), deps, new Date(T0 + 3_600_000)));
  const alertsOf = async (staff: string) =>
    (await dataSource.query(`SELECT incident_key, parents, hit_msgids FROM alert WHERE staff_userid = $1 ORDER BY id`, [staff])) as {
      incident_key: string; parents: string[]; hit_msgids: string[];
    }[];
  /** As a third instance with nothing in memory reads it. */
  const stored = async (staff: string): Promise<StaffRiskState | undefined> =>
    dataSource.transaction(async (m) => (await lockRiskStates(m, [staff], new RiskStateCache())).states.get(staff));
  /** What the pure rules make of messages 1..n fed one by one: the final state and the key of every alert opened. */
  const pure = async (staff: string, last: number | number[]) => {
    const [branch] = await loadAllBranchSettings(dataSource.manager);
    let state = initialRiskState(staff);
    const opened: string[] = [];
    for (const n of typeof last === "number" ? Array.from({ length: last }, (_, i) => i + 1) : last) {
      const r = step(state, message(staff, n), { config: branch!.risk, staff: { staffUserId: staff, name: staff, departmentIds: [2], employmentPhase: "active" } });
      state = r.state;
      opened.push(...r.emitted.map((d) => d.incidentKey));
    }
    return { state, opened };
  };
  const staffNames = ["alternating", "chunks", "double", "rolledback", "race", "renamed_old", "sliding"];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = db.dataSource;
    await dataSource.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '集团', NULL, 'hq', '{1}'), (2, '校区', 1, 'campus', '{1,2}')`);
    await dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department) SELECT u, u, '{2}', 2 FROM unnest($1::text[]) u`, [[...staffNames, "hr"]]);
    await dataSource.transaction((m) =>
      saveBranchSettings(m, 2, {
        rules: {
          massMessaging: { ruleId: "mm", auditorUserId: "hr" },
          massDeletion: { ruleId: "md", auditorUserId: "hr" },
          parentLeft: { ruleId: "pl", auditorUserId: "hr" },
          afterLastDay: { ruleId: "ald", auditorUserId: "hr" },
        },
        notifier: {},
      }, "test", new Date(T0)),
    );
  });
  afterAll(() => db.close());

  it("alternating message by message: one alert at the 15th parent, grown to all 20, and the pure detector's state", async () => {
    const a = instance();
    const b = instance();
    for (let n = 1; n <= 20; n++) await run(n % 2 === 1 ? a : b, "alternating", [n]);
    const expected = await pure("alternating", 20);
    expect(expected.opened).toEqual([`mass_messaging:alternating:mm:${T0 + 15_000}`]);
    const alerts = await alertsOf("alternating");
    expect(alerts.map((x) => x.incident_key)).toEqual(expected.opened);
    expect(alerts[0]!.parents).toHaveLength(20);
    expect(alerts[0]!.hit_msgids).toEqual(Array.from({ length: 20 }, (_, i) => `alternating_m${i + 1}`));
    expect(await stored("alternating")).toEqual(expected.state);
  });

  it("a copy left behind while the other instance took 7 messages would miss the alert: it is read again and alerts", async () => {
    const a = instance();
    const b = instance();
    await run(a, "chunks", [1, 2, 3, 4, 5, 6, 7]);
    await run(b, "chunks", [8, 9, 10, 11, 12, 13, 14]);
    const crossing = await run(a, "chunks", [15]);
    expect(crossing.newAlertIds).toHaveLength(1);
    expect((await alertsOf("chunks")).map((x) => x.incident_key)).toEqual((await pure("chunks", 15)).opened);
    expect(await stored("chunks")).toEqual((await pure("chunks", 15)).state);
  });

  it("a copy from before the other instance alerted would alert again: it is read again and the hit joins the open incident", async () => {
    const a = instance();
    const b = instance();
    await run(b, "double", Array.from({ length: 14 }, (_, i) => i + 1));
    expect((await run(a, "double", [15])).newAlertIds).toHaveLength(1);
    // b's copy holds 14 parents and no incident; with it, message 16 would open a second incident.
    expect((await run(b, "double", [16])).newAlertIds).toEqual([]);
    const alerts = await alertsOf("double");
    expect(alerts.map((x) => x.incident_key)).toEqual([`mass_messaging:double:mm:${T0 + 15_000}`]);
    expect(alerts[0]!.parents).toHaveLength(16);
    expect(await stored("double")).toEqual((await pure("double", 16)).state);
  });

  it("a copy written by a transaction that rolled back is never trusted", async () => {
    const a = instance();
    await run(a, "rolledback", [1]);
    await expect(
      dataSource.transaction(async (m) => {
        await detectBatch(m, Array.from({ length: 13 }, (_, i) => message("rolledback", i + 2)), a, new Date(T0));
        throw new Error("the batch's commit failed");
      }),
    ).rejects.toThrow("the batch's commit failed");
    // a's copy now has 14 parents, the table 1: with the copy, one more parent would alert.
    expect((await run(a, "rolledback", [15])).newAlertIds).toEqual([]);
    const expected = step((await pure("rolledback", 1)).state, message("rolledback", 15), {
      config: (await loadAllBranchSettings(dataSource.manager))[0]!.risk,
      staff: { staffUserId: "rolledback", name: "rolledback", departmentIds: [2], employmentPhase: "active" },
    }).state;
    expect(await stored("rolledback")).toEqual(expected);
    expect(await alertsOf("rolledback")).toEqual([]);
  });

  it("two instances making a member's first state at once: the later one is refused and, run again, counts both", async () => {
    const a = instance();
    const b = instance();
    let releaseA!: () => void;
    const aHolds = new Promise<void>((r) => (releaseA = r));
    let aWrote!: () => void;
    const aWritten = new Promise<void>((r) => (aWrote = r));
    const first = dataSource.transaction(async (m) => {
      await detectBatch(m, Array.from({ length: 7 }, (_, i) => message("race", i + 1)), a, new Date(T0));
      aWrote();
      await aHolds;
    });
    await aWritten;
    // b locks no row (a's is not committed) and steps from an empty state; its insert waits for a's commit.
    const second = run(b, "race", [8, 9, 10, 11, 12, 13, 14]);
    // Released once b waits for a's insert, i.e. after b's own read found no row.
    while (Number((await dataSource.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n) === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    releaseA();
    await first;
    await expect(second).rejects.toBeInstanceOf(RiskStateConflict);
    await run(b, "race", [8, 9, 10, 11, 12, 13, 14]);
    expect((await run(a, "race", [15])).newAlertIds).toHaveLength(1);
    expect(await stored("race")).toEqual((await pure("race", 15)).state);
  });

  it("a userid renamed in WeCom: the state and its window follow, and the other instance's copy under the old id is not used", async () => {
    const a = instance();
    const b = instance();
    await run(a, "renamed_old", Array.from({ length: 14 }, (_, i) => i + 1));
    await dataSource.transaction(async (m) => {
      await m.query(`UPDATE staff SET userid = 'renamed_new' WHERE userid = 'renamed_old'`);
      await renameAlertsStaffUserid(m, "renamed_old", "renamed_new");
    });
    expect(await dataSource.query(`SELECT DISTINCT staff_userid FROM risk_window_message WHERE staff_userid LIKE 'renamed%'`)).toEqual([{ staff_userid: "renamed_new" }]);
    const crossing = await run(b, "renamed_new", [15]);
    expect(crossing.newAlertIds).toHaveLength(1);
    const state = await stored("renamed_new");
    expect(state!.staffUserId).toBe("renamed_new");
    expect(state!.outbound.map((w) => w.msgid)).toEqual([...Array.from({ length: 14 }, (_, i) => `renamed_old_m${i + 1}`), "renamed_new_m15"]);
  });

  it("a window that slides past its 10 minutes: the messages it drops are gone from the table too", async () => {
    const a = instance();
    const b = instance();
    const early = [1, 2, 3, 4, 5];
    const late = [700, 701, 702, 703]; // 11 minutes on: the early ones leave the window
    await run(a, "sliding", early);
    await run(b, "sliding", [late[0]!]);
    await run(a, "sliding", late.slice(1));
    const expected = (await pure("sliding", [...early, ...late])).state;
    expect(expected.outbound.map((w) => w.msgid)).toEqual(late.map((n) => `sliding_m${n}`));
    expect(await stored("sliding")).toEqual(expected);
    expect(await dataSource.query(`SELECT msgid FROM risk_window_message WHERE staff_userid = 'sliding' ORDER BY at_ms, ord`)).toEqual(late.map((n) => ({ msgid: `sliding_m${n}` })));
  });
});
