import type { DataSource, EntityManager } from "typeorm";
import type { ArchiveFanout, ArchivedChat } from "../../conversations";
import { parseArchivedMessage, type ChatMessage } from "../../wecom";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { Background } from "../../platform/lifecycle";
import type { Logger } from "../../platform/logger";
import type { MessageObservation } from "../rules/observation";
import { detectBatch, type DetectDeps } from "./detectBatch";
import { RiskStateConflict } from "./riskStateStore";
import { toObservation } from "./toObservation";

const CURSOR = "archive";
const BATCH = 1000;
/** Catch-up sweep interval: picks up anything the in-process fan-out did not deliver. */
const SWEEP_MS = 60_000;
/** Each retry follows a commit by another transaction, so a few are enough; past them the sweep retries. */
const CONFLICT_ATTEMPTS = 3;

export interface ArchiveRiskDeps extends DetectDeps {
  dataSource: DataSource;
  fanout: ArchiveFanout;
  keyRing: DataKeyRing;
  clock: Clock;
  logger: Logger;
  /**
   * Called after a batch raised alerts (their notifications are committed): wakes the outbox and resolves once
   * it has had a pass at them, or after a bound (WeComOutbox.wakeAndWait). The next batch waits for it.
   */
  onAlerts(ids: string[]): Promise<void>;
}

/**
 * Runs every newly archived message through the risk rules. Live messages
 * come from the fan-out; at start (and every minute) the archive table is
 * read after the risk cursor, so messages stored while this process was down
 * are still detected. The cursor, detector state and alerts commit together:
 * a message is processed exactly once.
 */
export class ArchiveRiskConsumer implements Background {
  readonly name = "risk-archive-consumer";
  private queue: ArchivedChat[] = [];
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private needsSweep = true;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly deps: ArchiveRiskDeps) {}

  start(): void {
    this.stopped = false;
    this.needsSweep = true;
    this.unsubscribe = this.deps.fanout.subscribe((chat) => {
      this.queue.push(chat);
      this.kick();
    });
    this.sweepTimer = setInterval(() => {
      this.needsSweep = true;
      this.kick();
    }, SWEEP_MS);
    this.sweepTimer.unref?.();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.running;
  }

  /** Resolves once everything queued or stored so far has been processed (tests, bench). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch((err) => this.deps.logger.error({ err }, "risk detection failed; the next sweep retries from the cursor"))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.again = false;
      if (this.needsSweep) {
        // Live messages queued meanwhile are either read here or skipped below by seq.
        this.needsSweep = false;
        await this.sweep();
      }
      if (this.queue.length === 0) return;
      const batch = this.queue.splice(0, BATCH);
      await this.processChats(batch);
    }
  }

  private async sweep(): Promise<void> {
    for (;;) {
      const cursor = await this.cursor(this.deps.dataSource.manager);
      const stored = await this.readAfter(cursor, BATCH);
      if (stored.length === 0) return;
      await this.processChats(stored);
      if (stored.length < BATCH) return;
    }
  }

  private async processChats(chats: ArchivedChat[]): Promise<void> {
    let failed: unknown;
    const sorted = [...chats].sort((a, b) => a.seq - b.seq);
    const newAlerts = await this.inTransaction(async (m) => {
      // A live batch is past the cursor as a whole: the cursor is locked and moved to its end in one statement.
      // Otherwise (a sweep overlapping the live batches, another instance ahead) it is locked, the messages
      // already processed are dropped, and it moves once the batch is detected.
      const moved = sorted.length > 0 && (await this.moveCursorPast(m, sorted[0]!.seq, sorted[sorted.length - 1]!.seq));
      const cursor = moved ? -Infinity : await this.cursor(m, { lock: true });
      const fresh = sorted.filter((c) => c.seq > cursor);
      if (fresh.length === 0) return [];
      const observations = fresh.map(toObservation).filter((o): o is MessageObservation => o !== undefined);
      const outcome = await detectBatch(m, observations, this.deps, this.deps.clock.now());
      if (!moved) await m.query(`UPDATE risk_cursor SET last_seq = $2, updated_at = $3 WHERE name = $1`, [CURSOR, fresh[fresh.length - 1]!.seq, this.deps.clock.now()]);
      return outcome.newAlertIds;
    }).catch((err: unknown) => {
      failed = err;
      return [] as string[];
    });
    if (failed) {
      // The cursor did not move: the sweep re-reads these from the table.
      this.needsSweep = true;
      throw failed;
    }
    // The card goes out before the next batch starts (issue 20): a batch's state save competed with the outbox's
    // claim and send for the same cores and WAL flushes, and doubled the card's time from commit to WeCom
    // (claim 5 → 18 ms, send 11 → 17 ms measured in the alert-latency bench). Detection of the next messages
    // waits instead; they queue, and the next batch takes them all at once.
    if (newAlerts.length > 0) await this.deps.onAlerts(newAlerts);
  }

  /** A batch that lost a race to make a member's first state runs again at once, on the state that won. */
  private async inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.dataSource.transaction(work);
      } catch (err) {
        if (!(err instanceof RiskStateConflict) || attempt >= CONFLICT_ATTEMPTS) throw err;
      }
    }
  }

  /**
   * Moves the cursor to `last` when it is before `first` (every message of the batch is new), holding its row
   * lock to the commit like the locking read; false when it is not (or the row is not made yet). In READ
   * COMMITTED the condition is checked again on the newest row once another batch's lock is released.
   */
  private async moveCursorPast(m: EntityManager, first: number, last: number): Promise<boolean> {
    // TypeORM gives an UPDATE's result as [rows, row count].
    const [, count]: [unknown[], number] = await m.query(
      `UPDATE risk_cursor SET last_seq = $3, updated_at = $4 WHERE name = $1 AND last_seq < $2`,
      [CURSOR, first, last, this.deps.clock.now()],
    );
    return count === 1;
  }

  /** The first run starts at the archive's current end: history before the detector existed is not re-alerted. */
  private async cursor(m: EntityManager, opts: { lock?: boolean } = {}): Promise<number> {
    const read = async () => (await m.query(`SELECT last_seq FROM risk_cursor WHERE name = $1${opts.lock ? " FOR UPDATE" : ""}`, [CURSOR]))[0] as { last_seq: string } | undefined;
    // The row is made once (it is never deleted): a batch reads it in one statement instead of first trying to make
    // it, which also read the archive's newest seq across every partition, on the path of every live batch.
    let row = await read();
    if (!row) {
      await m.query(
        `INSERT INTO risk_cursor (name, last_seq, updated_at)
         SELECT $1, COALESCE((SELECT max(seq) FROM archive_message), 0), $2 ON CONFLICT DO NOTHING`,
        [CURSOR, this.deps.clock.now()],
      );
      row = await read();
    }
    return Number(row!.last_seq);
  }

  private async readAfter(seq: number, limit: number): Promise<ArchivedChat[]> {
    const rows: Array<{ msgid: string; seq: string; body_ciphertext: Buffer; body_key_id: string; staff_userid: string | null; external_userid: string | null; room_id: string | null }> =
      await this.deps.dataSource.query(
        `SELECT msgid, seq, body_ciphertext, body_key_id, staff_userid, external_userid, room_id
           FROM archive_message WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [seq, limit],
      );
    return rows.map((r) => ({
      seq: Number(r.seq),
      message: parseArchivedMessage(this.deps.keyRing.open({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid).toString("utf8")) as ChatMessage,
      staffUserid: r.staff_userid,
      externalUserid: r.external_userid,
      roomId: r.room_id,
    }));
  }
}
