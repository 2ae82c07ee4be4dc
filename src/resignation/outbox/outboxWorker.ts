import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { RESEND_SUPPRESSED, resendStillSuppressed, WeComApiError, WeComOutcomeUnknownError, type WeComClient } from "../../wecom";
import { retryDelayMs } from "../../wecom";
import { appendDossier } from "../../dossier";
import type { OutboxKind, OutboxMessage } from "./outboxMessage";
import { PollingWorker } from "../../platform/pollingWorker";

const MAX_ATTEMPTS = 6;
/** A claimed row whose sender died is retried after this long. */
const LEASE_MS = 5 * 60_000;
const BATCH = 20;

interface Row {
  id: string;
  case_id: string | null;
  kind: OutboxKind;
  message: OutboxMessage;
  attempts: number;
  created_at: Date;
}

/**
 * A bot reply answers a question: asking "进度" twice must give two answers, so it goes out without
 * WeCom's duplicate check (which would swallow the identical second reply) and is never resent after an
 * unknown outcome (the member can ask again). A card update's response_code works once. Every other row
 * is one logical message: sent with the duplicate check, so a resend after an unknown outcome is dropped
 * by WeCom if the first copy arrived.
 */
const resendable = (row: Row): boolean => row.kind !== "bot_reply" && row.message.type !== "update_card";

/**
 * Sends queued messages after their transaction committed. The msgid or
 * errcode goes into the case dossier in the transaction that marks the row
 * sent. A crash between send and record, or a send whose outcome is unknown, resends after the lease or
 * backoff only for rows sent with WeCom's duplicate check (`resendable`) and only while WeCom still
 * remembers the first copy; otherwise the row is closed as "outcome unknown" and never sent twice.
 */
export class OutboxWorker extends PollingWorker {
  readonly name = "resignation-outbox";

  constructor(
    private readonly deps: { dataSource: DataSource; client: WeComClient; clock: Clock; logger: Logger },
    pollMs: number,
  ) {
    super(pollMs, deps.logger);
  }


  /** Sends everything due, batch after batch. */
  protected async pass(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      for (const row of claimed) await this.sendOne(row);
      total += claimed.length;
      if (claimed.length < BATCH) return total;
    }
  }


  /**
   * Claims due rows with a lease (SKIP LOCKED, so instances never share a
   * row) and commits at once: no lock is held while WeCom answers, so a
   * slow send never blocks a request on the same case.
   */
  private async claim(): Promise<Row[]> {
    const now = this.deps.clock.now();
    return this.deps.dataSource.transaction(async (m) => {
      const rows: Row[] = await m.query(
        `SELECT id, case_id, kind, message, attempts, created_at FROM resignation_outbox
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
         ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (rows.length > 0) {
        await m.query(`UPDATE resignation_outbox SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = ANY($1)`, [
          rows.map((r) => r.id),
          new Date(now.getTime() + LEASE_MS),
        ]);
      }
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  private async sendOne(row: Row): Promise<void> {
    const actor = { type: "system", id: "wecom-outbox" };
    let result: { msgid?: string } | undefined;
    let error: unknown;
    try {
      result = await this.send(row.message, resendable(row));
    } catch (err) {
      error = err;
    }
    const now = this.deps.clock.now();
    await this.deps.dataSource.transaction(async (m) => {
      if (result) {
        await m.query(`UPDATE resignation_outbox SET sent_at = $2, result = $3 WHERE id = $1`, [row.id, now, JSON.stringify(result)]);
        if (row.kind === "certificate_delivery" && row.case_id) {
          await m.query(`UPDATE termination_certificate SET delivered_at = $2, delivery_msgid = $3 WHERE case_id = $1`, [row.case_id, now, result.msgid ?? null]);
        }
        if (row.case_id) {
          await appendDossier(m, row.case_id, now, "message_sent", actor, { outboxId: row.id, kind: row.kind, msgid: result.msgid ?? null, errcode: 0 });
        }
        return;
      }
      const errcode = error instanceof WeComApiError ? error.errcode : null;
      // May have been delivered: resend only where WeCom drops the copy, else close it without a second send.
      const outcomeUnknown = error instanceof WeComOutcomeUnknownError && !(resendable(row) && resendStillSuppressed(row.created_at, now));
      // The transport already retried WeCom's transient errcodes; any errcode reaching us (used response_code,
      // bad parameter, no valid recipient) would be answered the same way again. Network failures are retried.
      const permanent = errcode !== null || outcomeUnknown || row.attempts >= MAX_ATTEMPTS;
      this.deps.logger.warn({ err: error, outboxId: row.id, kind: row.kind, errcode }, "resignation message not sent");
      await m.query(`UPDATE resignation_outbox SET next_attempt_at = $2, failed_at = $3, result = $4 WHERE id = $1`, [
        row.id,
        new Date(now.getTime() + retryDelayMs(row.attempts)),
        permanent ? now : null,
        JSON.stringify({ errcode, error: String(error), ...(outcomeUnknown ? { outcome: "unknown" } : {}) }),
      ]);
      if (row.case_id && permanent) {
        await appendDossier(m, row.case_id, now, "message_failed", actor, { outboxId: row.id, kind: row.kind, errcode, ...(outcomeUnknown ? { outcome: "unknown" } : {}) });
      }
    });
  }

  private async send(message: OutboxMessage, resendable: boolean): Promise<{ msgid?: string }> {
    const api = this.deps.client.message;
    const options = resendable ? RESEND_SUPPRESSED : {};
    switch (message.type) {
      case "text":
        return api.sendText({ touser: message.touser }, message.content, options);
      case "miniprogram_notice":
        return api.sendMiniProgramNotice({ touser: message.touser }, message.notice, options);
      case "template_card":
        return api.sendTemplateCard({ touser: message.touser }, message.card, options);
      case "update_card":
        await api.updateTemplateCard({ userids: message.userids, response_code: message.responseCode, button: { replace_name: message.replaceName } });
        return {};
    }
  }
}
