import { consentApprovedHandler } from "../../src/conversations/consent/consentApprovedEvents";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import type { EventOfKind } from "../../src/wecom/inbox/dispatcher";
import { createTestDatabase } from "../support/testDatabase";

type Approved = EventOfKind<"change_external_contact:msg_audit_approved">;

describe("msg_audit_approved events, a transaction's worth at once", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const approved = (userId: string, externalUserId: string, iso: string): Approved => ({
    type: "change_external_contact", changeType: "msg_audit_approved", corpId: "ww", from: "sys", createTime: Date.parse(iso) / 1000, userId, externalUserId,
  });

  it("records each pair's consent once, with its latest time, whatever the order and repeats of the batch", async () => {
    const clock = new TestClock("2026-03-02T09:00:00+08:00");
    // A withdrawal newer than one of the approvals is already recorded: that approval must not undo it.
    await db.dataSource.query(
      `INSERT INTO archive_consent (staff_userid, external_userid, status, changed_at, source, recorded_at) VALUES ('li', 'wmB', 'disagree', '2026-03-01T12:00:00Z', 'check_single_agree', now())`,
    );
    const events = [
      approved("li", "wmA", "2026-03-01T10:00:00Z"),
      approved("li", "wmB", "2026-03-01T11:00:00Z"),
      approved("li", "wmA", "2026-03-01T11:30:00Z"),
      approved("li", "wmA", "2026-03-01T10:30:00Z"), // a late redelivery of an older approval
      approved("wang", "wmA", "2026-03-01T09:00:00Z"),
    ];
    await db.dataSource.transaction((manager) =>
      consentApprovedHandler(clock)(events, { manager, log: silentLogger(), afterCommit: () => undefined, shared: (_k, load) => load() }),
    );
    const rows = await db.dataSource.query(`SELECT staff_userid, external_userid, status, changed_at, source FROM archive_consent ORDER BY 1, 2`);
    expect(rows).toEqual([
      { staff_userid: "li", external_userid: "wmA", status: "agree", changed_at: new Date("2026-03-01T11:30:00Z"), source: "event" },
      { staff_userid: "li", external_userid: "wmB", status: "disagree", changed_at: new Date("2026-03-01T12:00:00Z"), source: "check_single_agree" },
      { staff_userid: "wang", external_userid: "wmA", status: "agree", changed_at: new Date("2026-03-01T09:00:00Z"), source: "event" },
    ]);
  });
});
