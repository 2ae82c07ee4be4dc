import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { RESEND_SUPPRESSED, resendStillSuppressed, WECOM_ERRCODE, WeComApiError, WeComOutcomeUnknownError, type WeComClient } from "../../wecom";
import { retryDelayMs } from "../../wecom";
import { packSections } from "./alertMessages";
import type { Channel } from "./alertOutbox";
import type { AlertOutboxPayload } from "./outboxPayload";
import { SharedRateLimiter, type WindowLimit } from "../../platform/rateLimit";
import { PollingWorker } from "../../platform/pollingWorker";

/** A claimed row whose sender died is retried after this long. */
const LEASE_MS = 5 * 60_000;
const CLAIM = 200;
/** Never give up on an alert; retry at least this often once backed off. */
const MAX_RETRY_MS = 30 * 60_000;

interface Row {
  id: string;
  channel: Channel;
  target: string;
  payload: AlertOutboxPayload;
  attempts: number;
  created_at: Date;
}

type SendResult =
  | { ok: true; msgid: string | null }
  | { ok: false; errcode: number | null; error: string }
  /** Went out, no answer, and a resend could arrive twice: closed, recorded as unknown, not repeated. */
  | { ok: "unknown"; error: string };

/**
 * Delivers alert notifications after their transaction committed. Nothing
 * is dropped: a failure (rate limit, WeCom down, unknown error) reschedules
 * the row; every attempt is recorded in alert_delivery. Webhook rows are
 * throttled per robot, and a backlog for one robot goes out as few combined
 * markdown messages. Nothing goes out twice either: app messages carry WeCom's
 * duplicate check, so one whose outcome is unknown is resent only while WeCom
 * would drop the copy; a robot message (no dedupe on WeCom's side) whose
 * outcome is unknown is closed with the delivery recorded as unknown — HR
 * still gets the alert's own app card.
 */
export class AlertNotifier extends PollingWorker {
  readonly name = "alert-notifier";
  private readonly limiter: SharedRateLimiter;
  /** A group robot takes at most 20 messages a minute (path/91770 "消息发送频率限制"), counted across every instance. */
  private readonly robotLimit: WindowLimit;

  constructor(
    private readonly deps: { dataSource: DataSource; client: WeComClient; clock: Clock; logger: Logger },
    pollMs: number,
    webhookPerMinute = 20,
  ) {
    super(pollMs, deps.logger);
    this.limiter = new SharedRateLimiter(deps.dataSource, deps.clock);
    this.robotLimit = { count: webhookPerMinute, windowMs: 60_000 };
  }


  /** Delivers everything due; returns the rows delivered. */
  protected async pass(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return delivered;
      const webhook = new Map<string, Row[]>();
      const app: Row[] = [];
      for (const r of rows) {
        if (r.channel === "webhook") webhook.set(r.target, [...(webhook.get(r.target) ?? []), r]);
        else app.push(r);
      }
      const sends: Promise<number>[] = [...webhook].map(([key, list]) => this.sendWebhook(key, list));
      sends.push(...app.map((r) => this.deliver([r], () => this.sendApp(r.payload))));
      delivered += (await Promise.all(sends)).reduce((a, b) => a + b, 0);
      if (rows.length < CLAIM) return delivered;
    }
  }


  private async claim(): Promise<Row[]> {
    const now = this.deps.clock.now();
    return this.deps.dataSource.transaction(async (m) => {
      const rows: Row[] = await m.query(
        `SELECT id, channel, target, payload, attempts, created_at FROM alert_outbox
          WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT ${CLAIM} FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (rows.length > 0) {
        await m.query(`UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = ANY($1)`, [
          rows.map((r) => r.id),
          new Date(now.getTime() + LEASE_MS),
        ]);
      }
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  /** Rows for one robot: as many combined messages as the window allows; the rest wait for the next slot. */
  private async sendWebhook(key: string, rows: Row[]): Promise<number> {
    const contents = rows.map((r) => (r.payload.type === "markdown" ? r.payload.content : ""));
    const groups = rows.length === 1 ? [{ rows, content: contents[0]! }] : combine(rows, contents);
    let delivered = 0;
    for (const [i, group] of groups.entries()) {
      const slot = await this.limiter.tryTake(robotLimitKey(key), this.robotLimit);
      if (!slot.taken) {
        const waiting = groups.slice(i).flatMap((g) => g.rows);
        await this.release(waiting, slot.retryAt);
        break;
      }
      delivered += await this.deliver(group.rows, async () => {
        await this.deps.client.robot.sendMarkdown(group.content, key);
        return null;
      });
    }
    return delivered;
  }

  private async sendApp(payload: AlertOutboxPayload): Promise<string | null> {
    const api = this.deps.client.message;
    switch (payload.type) {
      case "card":
        return (await api.sendTemplateCard({ touser: payload.touser }, payload.card, RESEND_SUPPRESSED)).msgid ?? null;
      case "text":
        return (await api.sendText({ touser: payload.touser }, payload.content, RESEND_SUPPRESSED)).msgid ?? null;
      case "markdown":
        throw new Error("markdown payloads go to the webhook");
    }
  }

  private async deliver(rows: Row[], send: () => Promise<string | null>): Promise<number> {
    let result: SendResult;
    const first = rows[0]!;
    try {
      result = { ok: true, msgid: await send() };
    } catch (err) {
      const resend = first.channel === "app" && rows.every((r) => resendStillSuppressed(r.created_at, this.deps.clock.now()));
      result =
        err instanceof WeComOutcomeUnknownError && !resend
          ? { ok: "unknown", error: String(err) }
          : { ok: false, errcode: err instanceof WeComApiError ? err.errcode : null, error: String(err) };
    }
    const now = this.deps.clock.now();
    const ids = rows.map((r) => r.id);
    await this.deps.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO alert_delivery (outbox_ids, channel, target, attempted_at, errcode, msgid, error) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [ids, first.channel, first.target, now, result.ok === true ? 0 : result.ok === "unknown" ? null : result.errcode, result.ok === true ? result.msgid : null, result.ok === true ? null : result.error],
      );
      if (result.ok !== false) {
        await m.query(`UPDATE alert_outbox SET sent_at = $2 WHERE id = ANY($1)`, [ids, now]);
        return;
      }
      const rateLimited = result.errcode === WECOM_ERRCODE.RATE_LIMITED;
      const delay = rateLimited ? 60_000 : Math.min(MAX_RETRY_MS, retryDelayMs(Math.max(...rows.map((r) => r.attempts))));
      await m.query(`UPDATE alert_outbox SET next_attempt_at = $2 WHERE id = ANY($1)`, [ids, new Date(now.getTime() + delay)]);
    });
    // WeCom says the robot's minute is spent (45009): no instance sends to it for a minute.
    if (result.ok === false && result.errcode === WECOM_ERRCODE.RATE_LIMITED && first.channel === "webhook") await this.limiter.exhaust(robotLimitKey(first.target), this.robotLimit);
    if (result.ok === false) this.deps.logger.warn({ outboxIds: ids, channel: first.channel, errcode: result.errcode, error: result.error }, "alert notification deferred");
    if (result.ok === "unknown") this.deps.logger.warn({ outboxIds: ids, channel: first.channel, error: result.error }, "alert notification outcome unknown; not sent again");
    return result.ok === false ? 0 : rows.length;
  }

  private async release(rows: Row[], at: Date): Promise<void> {
    await this.deps.dataSource.query(`UPDATE alert_outbox SET next_attempt_at = $2, attempts = attempts - 1 WHERE id = ANY($1)`, [rows.map((r) => r.id), at]);
  }
}

/** The robot's limit key: a digest, so the webhook key (a credential) is not copied into another table. */
function robotLimitKey(webhookKey: string): string {
  return `wecom-robot:${createHash("sha256").update(webhookKey).digest("hex").slice(0, 32)}`;
}

/** Backlogged sections packed into as few markdown messages as fit, each remembering its rows. */
function combine(rows: Row[], contents: string[]): { rows: Row[]; content: string }[] {
  const header = `## 风险预警（${rows.length}条）`;
  const groups: { rows: Row[]; content: string }[] = [];
  let pending: Row[] = [];
  let pendingContents: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const [content] = packSections(header, pendingContents);
    groups.push({ rows: pending, content: content! });
    pending = [];
    pendingContents = [];
  };
  rows.forEach((row, i) => {
    if (packSections(header, [...pendingContents, contents[i]!]).length > 1) flush();
    pending.push(row);
    pendingContents.push(contents[i]!);
  });
  flush();
  return groups;
}
