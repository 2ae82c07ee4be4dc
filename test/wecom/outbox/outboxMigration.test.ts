import { randomUUID } from "node:crypto";
import { OneWeComOutbox1766660000000 } from "../../../migrations/1766660000000-OneWeComOutbox";
import type { Database } from "../../../src/platform/db/database";
import { createTestDatabase } from "../../support/testDatabase";

/** The move to one outbox keeps every row: pending ones still go out, sent ones keep their history. */
describe("migration to one WeCom outbox", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  it("moves resignation and alert rows, pending and sent, with their attempts", async () => {
    const migration = new OneWeComOutbox1766660000000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const q = (sql: string, params: unknown[] = []) => runner.query(sql, params);
      const caseId = randomUUID();
      await q(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '示例教育集团', NULL, 'hq', '{1}') ON CONFLICT DO NOTHING`);
      await q(
        `INSERT INTO resignation_case (id, employee_userid, origin, state, notice_date, requested_last_day, earliest_last_day, last_day, reason_category, department_id, created_at, updated_at)
         VALUES ($1, 'li_laoshi', 'employee', 'approved', '2026-02-27', '2026-03-27', '2026-03-27', '2026-03-27', 'personal', 1, now(), now())`,
        [caseId],
      );
      await q(
        `INSERT INTO resignation_outbox (case_id, kind, message, created_at, attempts, next_attempt_at, sent_at, result) VALUES
         ($1, 'approval_card', '{"type":"text","touser":["hr_a"],"content":"已发出"}', '2026-03-01T01:00:00Z', 1, '2026-03-01T01:00:00Z', '2026-03-01T01:00:01Z', '{"msgid":"m-1"}'),
         ($1, 'bot_reply', '{"type":"text","touser":["li_laoshi"],"content":"待发送"}', '2026-03-01T02:00:00Z', 2, '2026-03-01T02:05:00Z', NULL, NULL),
         (NULL, 'card_update', '{"type":"update_card","userids":["hr_a"],"responseCode":"rc","replaceName":"已同意"}', '2026-03-01T03:00:00Z', 0, '2026-03-01T03:00:00Z', NULL, NULL)`,
        [caseId],
      );
      const [{ id: alertOutboxId }] = await q(
        `INSERT INTO alert_outbox (channel, target, alert_id, purpose, payload, created_at, next_attempt_at, attempts) VALUES
         ('webhook', 'robot-key', NULL, 'digest', '{"type":"markdown","content":"今日预警"}', '2026-03-01T04:00:00Z', '2026-03-01T04:01:00Z', 1) RETURNING id`,
      );
      await q(`INSERT INTO alert_outbox (channel, target, alert_id, purpose, payload, created_at, next_attempt_at) VALUES ('app', 'hr_a', NULL, 'it_task', '{"type":"card","touser":["hr_a"],"card":{"task_id":"t"}}', now(), now())`);
      await q(`INSERT INTO alert_delivery (outbox_ids, channel, target, attempted_at, errcode, msgid, error) VALUES ($1, 'webhook', 'robot-key', '2026-03-01T04:00:30Z', 45009, NULL, 'rate limited')`, [[alertOutboxId]]);

      await migration.up(runner);

      const rows = await q(`SELECT id, topic, ref, channel, target, message, duplicate_check, give_up_after, attempts, next_attempt_at, sent_at, result FROM wecom_outbox ORDER BY id`);
      expect(rows.map((r: { topic: string; ref: unknown; channel: string; duplicate_check: boolean; give_up_after: number | null }) => [r.topic, r.ref, r.channel, r.duplicate_check, r.give_up_after])).toEqual([
        ["resignation", { caseId, kind: "approval_card" }, "app", true, 6],
        ["resignation", { caseId, kind: "bot_reply" }, "app", false, 6],
        ["resignation", { caseId: null, kind: "card_update" }, "card_update", false, 6],
        ["alerts", { alertId: null, purpose: "digest" }, "robot", false, null],
        ["alerts", { alertId: null, purpose: "it_task" }, "app", true, null],
      ]);
      expect(rows[0].sent_at).not.toBeNull();
      expect(rows[0].result).toEqual({ msgid: "m-1" });
      expect(rows[1]).toMatchObject({ attempts: 2, sent_at: null, next_attempt_at: new Date("2026-03-01T02:05:00Z") });
      expect(rows[3]).toMatchObject({ target: "robot-key", message: { type: "robot_markdown", webhookKey: "robot-key", content: "今日预警", combineHeader: "## 风险预警" } });
      expect(rows[4].message).toEqual({ type: "template_card", touser: ["hr_a"], card: { task_id: "t" } });
      expect(await q(`SELECT outbox_ids, channel, errcode FROM wecom_outbox_attempt`)).toEqual([{ outbox_ids: [rows[3].id], channel: "robot", errcode: 45009 }]);
      const old = await q(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('resignation_outbox', 'alert_outbox', 'alert_delivery')`);
      expect(old).toEqual([{ n: 0 }]);
    } finally {
      await runner.release();
    }
  });
});
