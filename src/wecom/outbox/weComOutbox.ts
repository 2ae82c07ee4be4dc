import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { PollingWorker } from "../../platform/pollingWorker";
import { SharedRateLimiter, type WindowLimit } from "../../platform/rateLimit";
import { RESEND_SUPPRESSED, resendStillSuppressed } from "../client/api/messageApi";
import { WECOM_ERRCODE } from "../client/errcodes";
import { WeComApiError, WeComOutcomeUnknownError } from "../client/errors";
import { robotKeyDigest } from "../client/robotKey";
import type { WeComClient } from "../client/weComClient";
import { pgPool } from "../inbox/pgPool";
import { CommitWake } from "../../platform/db/commitWake";
import { decideDelivery, type AttemptResult, type Decision } from "./deliveryPolicy";
import { OUTBOX_WAKE_CHANNEL } from "./enqueue";
import { packSections } from "./markdownPacking";
import type { OutboxChannel, OutboxMessage, OutboxOutcome, SendDetail } from "./outboxMessage";

/** A claimed row whose sender died is tried again after this long. */
const LEASE_MS = 5 * 60_000;
const CLAIM = 200;

interface Row {
  id: string;
  topic: string;
  ref: OutboxOutcome["ref"];
  channel: OutboxChannel;
  target: string | null;
  message: OutboxMessage;
  duplicate_check: boolean;
  give_up_after: number | null;
  attempts: number;
  created_at: Date;
}

/** What one send call gave back. */
interface Sent {
  msgid: string | null;
  detail?: SendDetail;
}

/** Hears the final outcome of the messages its capability queued, in the transaction that records it. */
export type OutcomeListener = (manager: EntityManager, outcome: OutboxOutcome) => Promise<void>;

export interface WeComOutboxDeps {
  dataSource: DataSource;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
}

/**
 * The one outbox: every message, card, card update and robot post any capability queued goes out from here
 * after its transaction committed. Rows are claimed with a lease (SKIP LOCKED, so instances never share
 * one) and no lock is held while WeCom answers. Robot posts are throttled per robot across every instance
 * (20 a minute, path/91770), and a backlog for one robot goes out as few combined messages. Each attempt
 * is logged in wecom_outbox_attempt; the retry rule is decideDelivery's; the final outcome goes to the
 * queueing capability's listener in the same transaction that closes the row.
 */
export class WeComOutbox extends PollingWorker {
  readonly name = "wecom-outbox";
  private readonly limiter: SharedRateLimiter;
  private readonly robotLimit: WindowLimit;
  private readonly listeners = new Map<string, OutcomeListener>();
  private readonly commitWake: CommitWake;

  constructor(
    private readonly deps: WeComOutboxDeps,
    pollMs: number,
    robotPerMinute = 20,
  ) {
    super(pollMs, deps.logger);
    this.limiter = new SharedRateLimiter(deps.dataSource, deps.clock);
    this.robotLimit = { count: robotPerMinute, windowMs: 60_000 };
    this.commitWake = new CommitWake(pgPool(deps.dataSource), OUTBOX_WAKE_CHANNEL, () => this.wake(), deps.logger);
  }

  /** A capability hears the outcome of what it queued under `topic`; one listener per topic. */
  onOutcome(topic: string, listener: OutcomeListener): void {
    if (this.listeners.has(topic)) throw new Error(`outbox topic "${topic}" already has a listener`);
    this.listeners.set(topic, listener);
  }

  override start(): void {
    void this.commitWake.ensure();
    super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.commitWake.close();
  }

  /** Sends everything due, batch after batch; returns the rows closed as sent or unknown. */
  protected async pass(): Promise<number> {
    void this.commitWake.ensure();
    let delivered = 0;
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return delivered;
      const robots = new Map<string, Row[]>();
      const direct: Row[] = [];
      for (const r of rows) {
        if (r.channel === "robot") robots.set(r.target!, [...(robots.get(r.target!) ?? []), r]);
        else direct.push(r);
      }
      const robotSends = Promise.all([...robots].map(([key, list]) => this.sendToRobot(key, list)));
      // One recipient's messages keep their order (a reply, then the card it announces).
      for (const row of direct) delivered += await this.attempt([row], () => this.sendDirect(row));
      delivered += (await robotSends).reduce((a, b) => a + b, 0);
      if (rows.length < CLAIM || this.stopping) return delivered;
    }
  }

  private async claim(): Promise<Row[]> {
    const now = this.deps.clock.now();
    return this.deps.dataSource.transaction(async (m) => {
      // Due rows in due order, read only through the due index whatever the statistics say (migration
      // 1767020000000 says why); locked for this transaction, skipped by other instances.
      const rows: Row[] = await m.query(
        `SELECT id, topic, ref, channel, target, message, duplicate_check, give_up_after, attempts, created_at FROM wecom_outbox_claim($1, ${CLAIM}) ORDER BY next_attempt_at, id`,
        [now],
      );
      if (rows.length > 0) {
        await m.query(`UPDATE wecom_outbox SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = ANY($1)`, [
          rows.map((r) => r.id),
          new Date(now.getTime() + LEASE_MS),
        ]);
      }
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  private async sendDirect(row: Row): Promise<Sent> {
    const api = this.deps.client.message;
    const options = row.duplicate_check ? RESEND_SUPPRESSED : {};
    const m = row.message;
    switch (m.type) {
      case "text":
        return { msgid: (await api.sendText({ touser: m.touser }, m.content, options)).msgid ?? null };
      case "markdown":
        return { msgid: (await api.sendMarkdown({ touser: m.touser }, m.content, options)).msgid ?? null };
      case "miniprogram_notice":
        return { msgid: (await api.sendMiniProgramNotice({ touser: m.touser }, m.notice, options)).msgid ?? null };
      case "template_card": {
        const reply = await api.sendTemplateCard({ touser: m.touser }, m.card, options);
        return { msgid: reply.msgid ?? null, ...(reply.response_code ? { detail: { responseCode: reply.response_code } } : {}) };
      }
      case "update_card": {
        const target = m.atall ? { atall: 1 as const, response_code: m.responseCode } : { userids: m.userids, response_code: m.responseCode };
        await api.updateTemplateCard(m.card ? { ...target, template_card: { ...m.card, replace_text: m.replaceName } } : { ...target, button: { replace_name: m.replaceName } });
        return { msgid: null };
      }
      case "msg_template":
        return this.sendMsgTemplate(row, m);
      case "robot_markdown":
        throw new Error("robot messages go through sendToRobot");
    }
  }

  /**
   * A 群发 task. add_msg_template has no duplicate check (path/92135), so when an earlier try may have reached
   * WeCom (this row was claimed before: a lost answer, or a crash after the call), WeCom's group-send records
   * (get_groupmsg_list_v2, path/93338) are asked first and a task found there is the message, not sent again.
   */
  private async sendMsgTemplate(row: Row, m: Extract<OutboxMessage, { type: "msg_template" }>): Promise<Sent> {
    const now = this.deps.clock.now();
    if (row.attempts > 1 || m.mayExistSince) {
      const since = m.mayExistSince ? new Date(Math.min(Date.parse(m.mayExistSince), row.created_at.getTime())) : row.created_at;
      const task = await this.deps.client.groupMsgRecords.findCreatedTask({ chatType: "single", sender: m.sender, text: m.text, since, now });
      if (task) return { msgid: task.msgid, detail: { found: true } };
    }
    const reply = await this.deps.client.msgTemplate.addMsgTemplate({ chat_type: "single", sender: m.sender, external_userid: m.externalUserids, text: { content: m.text } });
    return { msgid: reply.msgid, detail: { failList: reply.fail_list } };
  }

  /** One robot's rows: as many combined messages as its minute allows; the rest wait for the next free slot. */
  private async sendToRobot(key: string, rows: Row[]): Promise<number> {
    const groups = combine(rows);
    let delivered = 0;
    for (const [i, group] of groups.entries()) {
      const slot = await this.limiter.tryTake(robotLimitKey(key), this.robotLimit);
      if (!slot.taken) {
        await this.release(groups.slice(i).flatMap((g) => g.rows), slot.retryAt);
        break;
      }
      delivered += await this.attempt(group.rows, async () => {
        await this.deps.client.robot.sendMarkdown(group.content, key);
        return { msgid: null };
      });
    }
    return delivered;
  }

  /** Makes one call for `rows` (one message, or robot sections sent together) and records what came of it. */
  private async attempt(rows: Row[], send: () => Promise<Sent>): Promise<number> {
    let result: AttemptResult;
    let detail: SendDetail | null = null;
    try {
      const sent = await send();
      detail = sent.detail ?? null;
      result = { kind: "sent", msgid: sent.msgid };
    } catch (err) {
      result =
        err instanceof WeComApiError
          ? { kind: "refused", errcode: err.errcode, error: String(err) }
          : err instanceof WeComOutcomeUnknownError
            ? { kind: "unknown", error: String(err) }
            : { kind: "network", error: String(err) };
    }
    const now = this.deps.clock.now();
    const first = rows[0]!;
    const decision = decideDelivery(result, {
      duplicateCheck: first.duplicate_check,
      lookupBeforeResend: first.channel === "msg_template",
      withinDuplicateWindow: rows.every((r) => resendStillSuppressed(r.created_at, now)),
      attempts: Math.max(...rows.map((r) => r.attempts)),
      giveUpAfter: first.give_up_after,
    });
    await this.deps.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO wecom_outbox_attempt (outbox_ids, channel, attempted_at, errcode, msgid, error) VALUES ($1, $2, $3, $4, $5, $6)`,
        [rows.map((r) => r.id), first.channel, now, result.kind === "sent" ? 0 : result.kind === "refused" ? result.errcode : null, result.kind === "sent" ? result.msgid : null, result.kind === "sent" ? null : result.error],
      );
      for (const row of rows) await this.record(m, row, decision, result, detail, now);
    });
    if ("retryInMs" in decision && decision.rateLimited && first.channel === "robot") {
      // WeCom says this robot's minute is spent: no instance posts to it for a minute.
      await this.limiter.exhaust(robotLimitKey(first.target!), this.robotLimit);
    }
    if (result.kind !== "sent") this.deps.logger.warn({ outboxIds: rows.map((r) => r.id), channel: first.channel, result, decision }, "WeCom message not delivered");
    return "close" in decision && decision.close !== "failed" ? rows.length : 0;
  }

  private async record(m: EntityManager, row: Row, decision: Decision, result: AttemptResult, detail: SendDetail | null, now: Date): Promise<void> {
    if ("retryInMs" in decision) {
      await m.query(`UPDATE wecom_outbox SET next_attempt_at = $2, result = $3 WHERE id = $1`, [
        row.id,
        new Date(now.getTime() + decision.retryInMs),
        JSON.stringify({ errcode: decision.errcode, error: "error" in result ? result.error : null }),
      ]);
      return;
    }
    const msgid = decision.close === "sent" ? decision.msgid : null;
    const errcode = decision.close === "sent" ? WECOM_ERRCODE.OK : decision.errcode;
    // A card's response_code is a one-use credential for its owner (who keeps it), not copied into the log.
    const { responseCode, ...logged } = detail ?? {};
    const stored = {
      msgid,
      errcode,
      ...(decision.close === "unknown" ? { outcome: "unknown" } : {}),
      ...(Object.keys(logged).length > 0 ? { detail: logged } : {}),
      ...(responseCode ? { responseCode: "kept by its owner" } : {}),
      ...("error" in result ? { error: result.error } : {}),
    };
    await m.query(`UPDATE wecom_outbox SET ${decision.close === "sent" ? "sent_at" : "failed_at"} = $2, result = $3 WHERE id = $1`, [row.id, now, JSON.stringify(stored)]);
    const listener = this.listeners.get(row.topic);
    if (listener) await listener(m, { id: row.id, ref: row.ref, channel: row.channel, outcome: decision.close, msgid, errcode, detail, at: now });
  }

  private async release(rows: Row[], at: Date): Promise<void> {
    await this.deps.dataSource.query(`UPDATE wecom_outbox SET next_attempt_at = $2, attempts = attempts - 1 WHERE id = ANY($1)`, [rows.map((r) => r.id), at]);
  }
}

/** The robot's limit key: a digest, so the webhook key (a credential) is not copied into another table. */
function robotLimitKey(webhookKey: string): string {
  return `wecom-robot:${robotKeyDigest(webhookKey)}`;
}

/** Backlogged sections packed into as few markdown messages as fit, each remembering its rows. */
function combine(rows: Row[]): { rows: Row[]; content: string }[] {
  const sectionOf = (r: Row) => (r.message.type === "robot_markdown" ? r.message : { content: "", combineHeader: "" });
  if (rows.length === 1) return [{ rows, content: sectionOf(rows[0]!).content }];
  const header = `${sectionOf(rows[0]!).combineHeader}（${rows.length}条）`;
  const groups: { rows: Row[]; content: string }[] = [];
  let pending: Row[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    groups.push({ rows: pending, content: packSections(header, pending.map((r) => sectionOf(r).content))[0]! });
    pending = [];
  };
  for (const row of rows) {
    if (packSections(header, [...pending, row].map((r) => sectionOf(r).content)).length > 1) flush();
    pending.push(row);
  }
  flush();
  return groups;
}
