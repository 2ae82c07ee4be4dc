import { recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { eraseWithdrawnPairs } from "../../src/conversations/consent/eraseWithdrawnPairs";
import { erasureDueAt, isErasureDue } from "../../src/conversations/consent/erasureDue";
import { silentLogger } from "../../src/platform/logger";
import { startConsoleHarness, type ConsoleHarness } from "../console/consoleHarness";

describe("erasure after withdrawn consent (pure rule)", () => {
  const withdrawn = new Date("2026-03-01T10:00:00+08:00");
  it("is due exactly the grace period after the withdrawal, never while held or after consent was given again", () => {
    expect(erasureDueAt(withdrawn, 30)).toEqual(new Date("2026-03-31T10:00:00+08:00"));
    const at = (iso: string) => new Date(iso);
    expect(isErasureDue({ status: "disagree", changedAt: withdrawn, held: false }, at("2026-03-31T09:59:59+08:00"), 30)).toBe(false);
    expect(isErasureDue({ status: "disagree", changedAt: withdrawn, held: false }, at("2026-03-31T10:00:00+08:00"), 30)).toBe(true);
    expect(isErasureDue({ status: "disagree", changedAt: withdrawn, held: true }, at("2026-06-01T00:00:00+08:00"), 30)).toBe(false);
    expect(isErasureDue({ status: "agree", changedAt: withdrawn, held: false }, at("2026-06-01T00:00:00+08:00"), 30)).toBe(false);
  });
});

/** Issue 18, "Consent withdrawn" (PIPL 15, 47), through the HR API and the erasure job. */
describe("a parent withdraws archive consent", () => {
  let h: ConsoleHarness;
  const pairCount = async () =>
    (await h.db.dataSource.query(`SELECT count(*)::int AS n FROM archive_message WHERE staff_userid = 'teacher_a' AND external_userid = 'wm_p1' AND room_id IS NULL`))[0].n as number;
  const call = (userid: string, method: string, body?: unknown) =>
    fetch(`${h.base}/api/conversations/erasure-holds/teacher_a/wm_p1`, {
      method,
      headers: { Authorization: `Bearer ${h.apiToken(userid)}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const erase = () => eraseWithdrawnPairs({ dataSource: h.db.dataSource, clock: h.clock, logger: silentLogger(), graceDays: 30 });

  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 180_000);
  afterAll(() => h.close());

  it("keeps the pair's chats while HR holds them for a dispute, erases them after the grace period once released, and logs counts only", async () => {
    const stored = await pairCount();
    expect(stored).toBeGreaterThan(0);
    await recordSingleConsent(h.db.dataSource, [{ staffUserid: "teacher_a", externalUserid: "wm_p1", status: "disagree", changedAt: h.clock.now(), source: "check_single_agree" }], h.clock.now());

    // Who may hold: HR of the teacher's campus. Not another campus's HR, not the read-only campus head.
    expect((await call("hr_sh", "PUT", { reason: "家长投诉处理中" })).status).toBe(403);
    expect((await call("head_bj", "PUT", { reason: "家长投诉处理中" })).status).toBe(403);
    const empty = await call("hr_bj", "PUT", { reason: "  " });
    expect(empty.status).toBe(400);
    const held = await call("hr_bj", "PUT", { reason: "家长投诉处理中" });
    expect(held.status).toBe(200);
    expect(((await held.json()) as { message: string }).message).toBe("已暂缓删除张老师与家长家长wm_p1的聊天记录（原因：家长投诉处理中），解除前不会删除");

    h.clock.advance(31 * 86_400_000);
    expect(await erase()).toEqual([]);
    expect(await pairCount()).toBe(stored);

    const released = await call("hr_bj", "DELETE");
    expect(released.status).toBe(200);
    expect(((await released.json()) as { message: string }).message).toMatch(/^已解除暂缓：家长已撤回存档同意，张老师与家长家长wm_p1的聊天记录将于 \d{4}年\d{1,2}月\d{1,2}日后删除$/);
    expect((await call("hr_bj", "DELETE")).status).toBe(404);

    const erased = await erase();
    expect(erased).toEqual([expect.objectContaining({ staffUserid: "teacher_a", externalUserid: "wm_p1", messagesErased: stored, mediaErased: 0 })]);
    expect(await pairCount()).toBe(0);
    const log = await h.db.dataSource.query(`SELECT * FROM archive_erasure_log`);
    expect(log).toHaveLength(1);
    // Counts and times, no content column at all.
    expect(Object.keys(log[0]).sort()).toEqual(["consent_withdrawn_at", "erased_at", "external_userid", "id", "media_erased", "messages_erased", "staff_userid"]);
    expect(await erase()).toEqual([]);
  });
});
