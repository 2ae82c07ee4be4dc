import { drainArchive } from "../../src/conversations/archive/drainArchive";
import { remindUncontactedParents } from "../../src/handover/health/contactReminders";
import { createPrivateKey, randomBytes } from "node:crypto";
import { replayDeadLetters } from "../../src/conversations/archive/replayDeadLetters";
import { InlineRandomKeyDecryptor } from "../../src/wecom/archive/randomKeyDecryptor";
import { ConversationWordFinder } from "../../src/conversations/queries/wordsInConversations";
import { SearchIndexKeys } from "../../src/conversations/searchIndex/searchIndexKeys";
import { loadHealthRows, recordFollowDeleted, refreshHandoverHealth } from "../../src/handover/health/healthStore";
import { summarizeRetention } from "../../src/handover/health/retentionSummary";
import { silentLogger } from "../../src/platform/logger";
import { createDataSource } from "../../ormconfig";
import { PARENTS, startAlertsHarness, type AlertsHarness } from "../alerts/alertsHarness";

/** teacher_a left; teacher_b inherited five parents. */
describe("handover health from the archive, contact events and transfer results", () => {
  let h: AlertsHarness;
  const settings = async () => ({ contactWithinDays: 3, escalateAfterDays: 2 });
  beforeEach(async () => {
    h = await startAlertsHarness({ startConsumer: false });
    await h.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ('head_bj', '北京校长', '{2}', 2)`);
    await h.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('head_bj', 'campus_head', 2, 'seed')`);
    h.sandbox.state.users.set("head_bj", { userid: "head_bj", name: "北京校长", departments: [2], mainDepartment: 2, position: "校长", status: 1 });
    for (const [i, p] of PARENTS.slice(0, 5).entries()) {
      await h.dataSource.query(`INSERT INTO external_contact (external_userid, name, type, updated_at) VALUES ($1, $2, 1, now()) ON CONFLICT DO NOTHING`, [p, `家长${i + 1}`]);
    }
    const at = h.clock.now();
    for (const [i, p] of PARENTS.slice(0, 5).entries()) {
      await h.dataSource.query(
        `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, takeover_at, requested_at, updated_at)
         VALUES ('teacher_a', 'teacher_b', $1, 'resigned', $2, $3, $3, $3)`,
        [p, i === 4 ? "refused" : "done", at],
      );
    }
  });
  afterEach(() => h.close());
  /** The refresh pass as the service runs it: refund words found through the archive (no search index here: every message is a candidate). */
  const refresh = () => refreshHandoverHealth({ dataSource: h.dataSource, clock: h.clock, words: new ConversationWordFinder(h.keyRing, new SearchIndexKeys({ s1: randomBytes(32) }, "s1")) });

  it("judges each inherited parent, incrementally, and gives the retention figure", async () => {
    // Before the handover teacher_a chatted (not the successor's history).
    h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[0]!, content: "下周见" });
    h.clock.advance(3_600_000);
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "您好，我是王老师，今后由我负责" });
    h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_b", content: "好的王老师" });
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[1]!, content: "您好，我是王老师" });
    h.sandbox.actors.chat({ from: PARENTS[1]!, to: "teacher_b", content: "老师，我们想退费" });
    await drainArchive(h.ingest);
    // 退费 was stored before the parent's health row existed: the new pair's history is read for refund words too.
    const first = await refresh();
    expect(first).toMatchObject({ pairs: 5, fromStoredAt: null, refundWords: 1 });
    await recordFollowDeleted(h.dataSource.manager, "teacher_b", PARENTS[2]!, h.clock.now());

    // A day later: only the new messages are read.
    h.clock.advance(86_400_000);
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[3]!, content: "您好" });
    await drainArchive(h.ingest);
    const again = await refresh();
    expect(again.pairs).toBe(0);
    expect(again.fromStoredAt).toEqual(first.toStoredAt);
    expect(again.touched).toBe(1);
    expect(again.refundWords).toBe(0);

    h.clock.advance(4 * 86_400_000);
    const rows = await loadHealthRows(h.dataSource.manager);
    const summary = summarizeRetention(rows, h.clock.now(), () => ({ contactWithinDays: 3 }));
    const byParent = Object.fromEntries(summary.parents.map((p) => [p.externalUserid, [p.state, p.reason]]));
    expect(byParent).toEqual({
      [PARENTS[0]!]: ["active", "家长近30天内有回复"],
      [PARENTS[1]!]: ["at_risk", "家长沟通中出现「退费」"],
      [PARENTS[2]!]: ["lost", "家长删除了接任老师的企业微信"],
      [PARENTS[3]!]: ["silent", "接任老师已联系，家长尚未回复"],
      [PARENTS[4]!]: ["lost", "家长拒绝了转接"],
    });
    expect(summary.overall.day30.rate).toBeNull();
    h.clock.advance(30 * 86_400_000);
    const later = summarizeRetention(await loadHealthRows(h.dataSource.manager), h.clock.now(), () => ({ contactWithinDays: 3 }));
    // Parents 1 and 2 wrote and still follow; 3 deleted, 4 never wrote, 5 refused.
    expect(later.overall.day30).toEqual({ eligible: 5, retained: 2, rate: 0.4 });
    expect(later.byLeaver.map((g) => [g.key, g.parents])).toEqual([["teacher_a", 5]]);
    expect(later.byCampus.map((g) => g.key)).toEqual(["2"]);
  });

  it("counts a message stored late under an old seq (a dead letter replayed once its key arrived): the cursor follows storing, not WeCom's seq", async () => {
    await refresh();
    h.clock.advance(3_600_000);
    // WeCom rotates the archive key; this service does not have version 2 yet, so the parent's 转校 is parked.
    const v2 = h.sandbox.archive.addKeyVersion(2);
    h.sandbox.actors.chat({ from: PARENTS[2]!, to: "teacher_b", content: "王老师，孩子下学期要轉校了" });
    const parked = await drainArchive(h.ingest);
    expect(parked.deadLettered).toBe(1);
    // The key is added; a later message (higher seq) is stored and a pass runs before the replay.
    // (Every record from here on is version 2.)
    h.ingest.randomKeys = new InlineRandomKeyDecryptor(new Map([[2, createPrivateKey(v2)]]));
    h.sandbox.actors.chat({ from: PARENTS[3]!, to: "teacher_b", content: "好的老师" });
    expect((await drainArchive(h.ingest)).stored).toBe(1);
    expect(await refresh()).toMatchObject({ touched: 1, refundWords: 0 });
    h.clock.advance(60_000);
    expect((await replayDeadLetters(h.ingest)).stored).toBe(1);
    // Written in traditional characters (轉校): matched on normalised text, as search matches.
    expect(await refresh()).toMatchObject({ touched: 1, refundWords: 1 });
    const [row] = await h.dataSource.query(`SELECT refund_word, parent_first_reply_at IS NOT NULL AS replied FROM handover_parent_health WHERE external_userid = $1`, [PARENTS[2]]);
    expect(row).toEqual({ refund_word: "转校", replied: true });
    expect(await refresh()).toMatchObject({ touched: 0, refundWords: 0 });
  });

  it("back-fills a parent handed over after earlier passes from history stored before them (from the handover on), and starts afresh for a new successor", async () => {
    const p6 = PARENTS[5]!;
    const facts = async () =>
      (await h.dataSource.query(
        `SELECT successor_userid, successor_first_msg_at, parent_first_reply_at, refund_word FROM handover_parent_health WHERE external_userid = $1`,
        [p6],
      ))[0];
    // teacher_b already knew the parent before the handover; then the handover; then both write, the parent says 退课.
    h.sandbox.actors.chat({ from: "teacher_b", to: p6, content: "家长会见" });
    h.clock.advance(3_600_000);
    const handedOverAt = h.clock.now();
    h.clock.advance(60_000);
    const wrote = h.clock.now();
    h.sandbox.actors.chat({ from: "teacher_b", to: p6, content: "您好，今后由我负责" });
    h.sandbox.actors.chat({ from: p6, to: "teacher_b", content: "我们可能要退课" });
    await drainArchive(h.ingest);
    // Passes run while the parent is not yet anybody's inherited parent: those messages lie behind the cursor.
    expect(await refresh()).toMatchObject({ pairs: 5, refundWords: 0 });
    h.clock.advance(60_000);
    await h.dataSource.query(
      `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, takeover_at, requested_at, updated_at)
       VALUES ('teacher_a', 'teacher_b', $1, 'resigned', 'done', $2, $2, $3)`,
      [p6, handedOverAt, h.clock.now()],
    );
    expect(await refresh()).toMatchObject({ pairs: 1, backfilled: 1, touched: 0, refundWords: 1 });
    // From the handover on: the earlier 家长会见 does not count as the successor's first message.
    expect(await facts()).toEqual({ successor_userid: "teacher_b", successor_first_msg_at: wrote, parent_first_reply_at: wrote, refund_word: "退课" });

    // HR gives the parent to another teacher: what teacher_b and the parent said is not the new successor's.
    h.clock.advance(60_000);
    await h.dataSource.query(`UPDATE customer_transfer SET successor_userid = 'teacher_x', takeover_at = $2, updated_at = $2 WHERE external_userid = $1`, [p6, h.clock.now()]);
    expect(await refresh()).toMatchObject({ pairs: 1, backfilled: 0, refundWords: 0 });
    expect(await facts()).toEqual({ successor_userid: "teacher_x", successor_first_msg_at: null, parent_first_reply_at: null, refund_word: null });
  });

  it("rewrites a parent's row only when the window changes one of its facts", async () => {
    h.clock.advance(3_600_000);
    const firstWrite = h.clock.now();
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "您好，我是王老师" });
    h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_b", content: "好的" });
    await drainArchive(h.ingest);
    await refresh();
    const row = async () =>
      (await h.dataSource.query(
        `SELECT xmin::text AS version, successor_first_msg_at, parent_first_reply_at, parent_last_reply_at FROM handover_parent_health WHERE external_userid = $1`,
        [PARENTS[0]],
      ))[0];
    const before = await row();
    expect(before).toMatchObject({ successor_first_msg_at: firstWrite, parent_first_reply_at: firstWrite, parent_last_reply_at: firstWrite });
    // The successor writes again: their first message is already known, so the row stays as it was (same version).
    h.clock.advance(86_400_000);
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "今天的作业" });
    await drainArchive(h.ingest);
    expect(await refresh()).toMatchObject({ pairs: 0, touched: 0 });
    expect(await row()).toEqual(before);
    // The parent replies: their last reply moves, their first stays.
    h.clock.advance(3_600_000);
    const reply = h.clock.now();
    h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_b", content: "收到" });
    await drainArchive(h.ingest);
    expect(await refresh()).toMatchObject({ pairs: 0, touched: 1 });
    const after = await row();
    expect(after).toMatchObject({ successor_first_msg_at: firstWrite, parent_first_reply_at: firstWrite, parent_last_reply_at: reply });
    expect(after.version).not.toBe(before.version);
  });

  it("plans a later pass's statements once per connection, for every window, and keeps the facts exact", async () => {
    // One connection, as the job's passes run on a pooled one: what it keeps is visible in its own session.
    const one = createDataSource(String((h.dataSource.options as { url?: string }).url), 1);
    await one.initialize();
    try {
      const pass = () => refreshHandoverHealth({ dataSource: one, clock: h.clock, words: new ConversationWordFinder(h.keyRing, new SearchIndexKeys({ s1: randomBytes(32) }, "s1")) });
      h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "您好，我是王老师" });
      await drainArchive(h.ingest);
      expect(await pass()).toMatchObject({ pairs: 5, fromStoredAt: null });
      // Two later windows of different sizes: the first plan serves both.
      h.clock.advance(3_600_000);
      const reply = h.clock.now();
      h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_b", content: "好的" });
      await drainArchive(h.ingest);
      expect(await pass()).toMatchObject({ pairs: 0, touched: 1 });
      h.clock.advance(3_600_000);
      const refund = h.clock.now();
      h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[1]!, content: "您好" });
      h.sandbox.actors.chat({ from: PARENTS[1]!, to: "teacher_b", content: "我们想退费" });
      await drainArchive(h.ingest);
      expect(await pass()).toMatchObject({ pairs: 0, touched: 1, refundWords: 1 });
      const plans: { generic: number; custom: number }[] = await one.query(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE 'WITH w AS MATERIALIZED%'`,
      );
      expect(plans).toEqual([{ generic: 2, custom: 0 }]);
      const facts = await one.query(
        `SELECT external_userid, parent_last_reply_at, refund_word, refund_at FROM handover_parent_health WHERE external_userid = ANY ($1) ORDER BY external_userid`,
        [[PARENTS[0], PARENTS[1]]],
      );
      expect(facts).toEqual(
        [
          { external_userid: PARENTS[0], parent_last_reply_at: reply, refund_word: null, refund_at: null },
          { external_userid: PARENTS[1], parent_last_reply_at: refund, refund_word: "退费", refund_at: refund },
        ].sort((a, b) => (a.external_userid! < b.external_userid! ? -1 : 1)),
      );
    } finally {
      await one.destroy();
    }
  });

  it("counts from the handover on when it falls inside a pass's window: the successor's earlier message that day is not theirs", async () => {
    const p6 = PARENTS[5]!;
    const facts = async (leaver: string, parent: string) =>
      (await h.dataSource.query(
        `SELECT successor_first_msg_at, parent_first_reply_at, parent_last_reply_at FROM handover_parent_health WHERE leaver_userid = $1 AND external_userid = $2`,
        [leaver, parent],
      ))[0];
    // A first pass over some archive: the next one reads only what is stored after it (a window).
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[1]!, content: "您好" });
    await drainArchive(h.ingest);
    expect(await refresh()).toMatchObject({ pairs: 5, touched: 1 });
    // Between two passes: teacher_b talks to p6 and to parent 1 (teacher_a's, inherited earlier); then p6 is handed to
    // teacher_b, and so is parent 1 again, from another leaver; then both conversations go on.
    h.clock.advance(60_000);
    const before = h.clock.now();
    h.sandbox.actors.chat({ from: "teacher_b", to: p6, content: "家长会见" });
    h.sandbox.actors.chat({ from: p6, to: "teacher_b", content: "好的" });
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "明天见" });
    h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_b", content: "好的" });
    h.clock.advance(3_600_000);
    const handedOverAt = h.clock.now();
    for (const [leaver, parent] of [["teacher_a", p6], ["teacher_c", PARENTS[0]!]]) {
      await h.dataSource.query(
        `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, takeover_at, requested_at, updated_at)
         VALUES ($1, 'teacher_b', $2, 'resigned', 'done', $3, $3, $3)`,
        [leaver, parent, handedOverAt],
      );
    }
    h.clock.advance(60_000);
    const after = h.clock.now();
    h.sandbox.actors.chat({ from: "teacher_b", to: p6, content: "您好，今后由我负责" });
    h.sandbox.actors.chat({ from: p6, to: "teacher_b", content: "谢谢老师" });
    h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "您好" });
    await drainArchive(h.ingest);
    // All six messages are in one window; nothing of p6's was stored before it. The window merges into the rows as
    // they were (parent 1 from teacher_a); the two new parents' history up to the window's end, the window included,
    // is read by the back-fill.
    expect(await refresh()).toMatchObject({ pairs: 2, backfilled: 2, touched: 1 });
    expect(await facts("teacher_a", p6)).toEqual({ successor_first_msg_at: after, parent_first_reply_at: after, parent_last_reply_at: after });
    // Parent 1 from teacher_a (handed over before the window): every message counts; from teacher_c: only those after
    // (the parent's reply came before it).
    expect(await facts("teacher_a", PARENTS[0]!)).toEqual({ successor_first_msg_at: before, parent_first_reply_at: before, parent_last_reply_at: before });
    expect(await facts("teacher_c", PARENTS[0]!)).toEqual({ successor_first_msg_at: after, parent_first_reply_at: null, parent_last_reply_at: null });

    // A transfer still waiting for WeCom's takeover: the parent's row exists before the takeover, and the next window
    // holds messages from both sides of it (merged by the window itself): only those from the takeover on count.
    const p7 = PARENTS[6]!;
    const takeover = new Date(h.clock.now().getTime() + 3_600_000);
    await h.dataSource.query(
      `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, takeover_at, requested_at, updated_at)
       VALUES ('teacher_d', 'teacher_b', $1, 'resigned', 'waiting', $2, $3, $3)`,
      [p7, takeover, h.clock.now()],
    );
    expect(await refresh()).toMatchObject({ pairs: 1, backfilled: 0, touched: 0 });
    h.sandbox.actors.chat({ from: "teacher_b", to: p7, content: "您好，我是王老师" });
    h.sandbox.actors.chat({ from: p7, to: "teacher_b", content: "好的" });
    h.clock.advance(2 * 3_600_000);
    const takenOver = h.clock.now();
    h.sandbox.actors.chat({ from: "teacher_b", to: p7, content: "今后由我负责" });
    await drainArchive(h.ingest);
    expect(await refresh()).toMatchObject({ pairs: 0, backfilled: 0, touched: 1 });
    expect(await facts("teacher_d", p7)).toEqual({ successor_first_msg_at: takenOver, parent_first_reply_at: null, parent_last_reply_at: null });
    // The parent refuses after all: a change of outcome alone is a transfer change too, and the facts stay.
    h.clock.advance(60_000);
    await h.dataSource.query(`UPDATE customer_transfer SET status = 'refused', updated_at = $2 WHERE external_userid = $1`, [p7, h.clock.now()]);
    expect(await refresh()).toMatchObject({ pairs: 1, backfilled: 0, touched: 0 });
    const [outcome] = await h.dataSource.query(`SELECT transfer_status, successor_first_msg_at FROM handover_parent_health WHERE external_userid = $1`, [p7]);
    expect(outcome).toEqual({ transfer_status: "refused", successor_first_msg_at: takenOver });
  });

  it("reminds the successor of parents not contacted, then the campus head, once each", async () => {
    await refresh();
    const deps = { dataSource: h.dataSource, client: h.client, clock: h.clock, logger: silentLogger() };
    h.clock.advance(3 * 86_400_000);
    const first = await remindUncontactedParents(deps, settings);
    expect(first).toEqual({ successors: [{ userid: "teacher_b", parents: 4 }], campusHeads: [] });
    await h.outbox.drain();
    const toSuccessor = h.sandbox.state.messagesTo("teacher_b");
    expect(toSuccessor).toHaveLength(1);
    expect(JSON.stringify(toSuccessor[0]!.body)).toContain("家长1（原张老师负责）");
    expect(await remindUncontactedParents(deps, settings)).toEqual({ successors: [], campusHeads: [] });
    h.clock.advance(2 * 86_400_000);
    const second = await remindUncontactedParents(deps, settings);
    expect(second).toEqual({ successors: [], campusHeads: [{ userid: "head_bj", parents: 4 }] });
    await h.outbox.drain();
    expect(h.sandbox.state.messagesTo("teacher_b")).toHaveLength(1);
    expect(JSON.stringify(h.sandbox.state.messagesTo("head_bj")[0]!.body)).toContain("家长2：接任老师王老师交接后一直未联系");
  });
});
