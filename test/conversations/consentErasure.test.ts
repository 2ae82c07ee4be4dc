import { recordRoomConsent, recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { eraseWithdrawnGroupMembers } from "../../src/conversations/consent/eraseWithdrawnGroupMembers";
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
    // From the withdrawal on, a new message of the pair is not stored (PIPL 15): only its id is remembered.
    h.sandbox.archive.append({ msgid: "m_after", action: "send", from: "teacher_a", tolist: ["wm_p1"], roomid: "", msgtime: h.clock.now().getTime() + 60_000, msgtype: "text", text: { content: "撤回同意之后的消息" } });
    await h.service.capabilities.conversations.archive!.drainer.request();
    expect(await pairCount()).toBe(stored);
    expect(await h.db.dataSource.query(`SELECT count(*)::int AS n FROM archive_message WHERE msgid = 'm_after'`)).toEqual([{ n: 0 }]);

    // Who may hold: HR of the teacher's campus. Not another campus's HR, not the read-only campus head.
    expect((await call("hr_sh", "PUT", { reason: "家长投诉处理中" })).status).toBe(403);
    expect((await call("head_bj", "PUT", { reason: "家长投诉处理中" })).status).toBe(403);
    const empty = await call("hr_bj", "PUT", { reason: "  " });
    expect(empty.status).toBe(400);
    const held = await call("hr_bj", "PUT", { reason: "家长投诉处理中" });
    expect(held.status).toBe(200);
    expect(((await held.json()) as { message: string }).message).toBe("已暂缓删除张老师与家长wm_p1（学生wm_p1 · 一班）的聊天记录（原因：家长投诉处理中），解除前不会删除");

    h.clock.advance(31 * 86_400_000);
    expect(await erase()).toEqual([]);
    expect(await pairCount()).toBe(stored);

    const released = await call("hr_bj", "DELETE");
    expect(released.status).toBe(200);
    expect(((await released.json()) as { message: string }).message).toMatch(/^已解除暂缓：家长已撤回存档同意，张老师与家长wm_p1（学生wm_p1 · 一班）的聊天记录将于 \d{4}年\d{1,2}月\d{1,2}日后删除$/);
    expect((await call("hr_bj", "DELETE")).status).toBe(404);

    const erased = await erase();
    expect(erased).toEqual([expect.objectContaining({ staffUserid: "teacher_a", externalUserid: "wm_p1", messagesErased: stored, mediaErased: 0 })]);
    expect(await pairCount()).toBe(0);
    const log = await h.db.dataSource.query(`SELECT * FROM archive_erasure_log`);
    expect(log).toHaveLength(1);
    // Counts and times, no content column at all.
    expect(Object.keys(log[0]).sort()).toEqual(["consent_withdrawn_at", "erased_at", "external_userid", "id", "media_erased", "messages_erased", "room_id", "staff_userid"]);
    expect(log[0].room_id).toBeNull();
    expect(await erase()).toEqual([]);
  });

  it("in a group chat: the parent's messages stop being stored, are held while HR has a reason, then erased; others' stay; logged without content", async () => {
    const ds = h.db.dataSource;
    const room = "wr_c1_parents";
    await ds.query(`INSERT INTO group_chat (chat_id, name, owner_userid, updated_at) VALUES ($1, '一班家长群', 'teacher_a', now())`, [room]);
    const agreedAt = new Date(h.clock.now().getTime() - 86_400_000);
    await recordRoomConsent(ds, ["wm_p1", "wm_p2"].map((externalUserid) => ({ roomId: room, externalUserid, status: "agree" as const, changedAt: agreedAt, source: "check_room_agree" as const })), h.clock.now());
    const say = (msgid: string, from: string, content: string) => {
      const members = ["teacher_a", "wm_p1", "wm_p2"];
      h.sandbox.archive.append({ msgid, action: "send", from, tolist: members.filter((m) => m !== from), roomid: room, msgtime: h.clock.now().getTime(), msgtype: "text", text: { content } });
      h.clock.advance(60_000);
    };
    const drain = () => h.service.capabilities.conversations.archive!.drainer.request();
    const stored = async () =>
      ((await ds.query(`SELECT msgid FROM archive_message WHERE room_id = $1 ORDER BY msgid`, [room])) as { msgid: string }[]).map((r) => r.msgid);
    say("g1", "teacher_a", "明天春游，请带水");
    say("g2", "wm_p1", "收到，谢谢老师");
    say("g3", "wm_p2", "好的");
    await drain();
    expect(await stored()).toEqual(["g1", "g2", "g3"]);

    // 家长wm_p1 withdraws consent for the group (check_room_agree now answers Disagree): from now on nothing of the group is stored.
    const withdrawnAt = h.clock.now();
    await recordRoomConsent(ds, [{ roomId: room, externalUserid: "wm_p1", status: "disagree", changedAt: withdrawnAt, source: "check_room_agree" }], h.clock.now());
    say("g4", "wm_p1", "请不要再存档我的消息");
    say("g5", "teacher_a", "好的，已知悉");
    await drain();
    expect(await stored()).toEqual(["g1", "g2", "g3"]);

    const hold = (userid: string, method: string, body?: unknown) =>
      fetch(`${h.base}/api/conversations/erasure-holds/groups/${room}/wm_p1`, {
        method,
        headers: { Authorization: `Bearer ${h.apiToken(userid)}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await hold("hr_sh", "PUT", { reason: "家长投诉处理中" })).status).toBe(403);
    expect((await hold("head_bj", "PUT", { reason: "家长投诉处理中" })).status).toBe(403);
    expect((await hold("hr_bj", "PUT", { reason: "" })).status).toBe(400);
    const unknownRoom = await fetch(`${h.base}/api/conversations/erasure-holds/groups/wr_none/wm_p1`, {
      method: "PUT", headers: { Authorization: `Bearer ${h.apiToken("hr_bj")}`, "Content-Type": "application/json" }, body: JSON.stringify({ reason: "x" }),
    });
    expect(unknownRoom.status).toBe(404);
    const held = await hold("hr_bj", "PUT", { reason: "家长投诉处理中" });
    expect(held.status).toBe(200);
    expect(((await held.json()) as { message: string }).message).toBe("已暂缓删除家长wm_p1（学生wm_p1 · 一班）在群聊「一班家长群」中的聊天记录（原因：家长投诉处理中），解除前不会删除");

    const eraseGroups = () => eraseWithdrawnGroupMembers({ dataSource: ds, clock: h.clock, logger: silentLogger(), graceDays: 30 });
    h.clock.advance(29 * 86_400_000);
    await hold("hr_bj", "DELETE");
    expect(await eraseGroups()).toEqual([]); // 29 days: still inside the grace period
    await hold("hr_bj", "PUT", { reason: "家长投诉处理中" });
    h.clock.advance(2 * 86_400_000);
    expect(await eraseGroups()).toEqual([]); // held
    expect(await stored()).toEqual(["g1", "g2", "g3"]);

    const released = await hold("hr_bj", "DELETE");
    expect(released.status).toBe(200);
    expect(((await released.json()) as { message: string }).message).toMatch(/^已解除暂缓：家长已撤回存档同意，家长wm_p1（学生wm_p1 · 一班）在群聊「一班家长群」中的聊天记录将于 \d{4}年\d{1,2}月\d{1,2}日后删除$/);
    expect((await hold("hr_bj", "DELETE")).status).toBe(404);

    expect(await eraseGroups()).toEqual([{ roomId: room, externalUserid: "wm_p1", consentWithdrawnAt: withdrawnAt, messagesErased: 1, mediaErased: 0 }]);
    // Only what wm_p1 wrote is gone; the teacher's and the other parent's messages are theirs and stay.
    expect(await stored()).toEqual(["g1", "g3"]);
    const log = await ds.query(`SELECT staff_userid, room_id, external_userid, messages_erased, media_erased FROM archive_erasure_log WHERE room_id IS NOT NULL`);
    expect(log).toEqual([{ staff_userid: null, room_id: room, external_userid: "wm_p1", messages_erased: 1, media_erased: 0 }]);
    expect(await eraseGroups()).toEqual([]);
    // The pair job leaves groups alone, and the group job leaves the withdrawn parent's other parents' consent alone.
    expect(await erase()).toEqual([]);
    expect(await stored()).toEqual(["g1", "g3"]);
  });
});
