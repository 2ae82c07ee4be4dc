import type { EntityManager } from "typeorm";
import type { TransferMode } from "../rules/transferMode";
import { applyTransferInput, type Transfer, type TransferInput } from "../rules/transferState";

/** A customer_transfer row: the state machine's Transfer plus where it sits in our lifecycle. */
export interface TransferRow extends Transfer {
  id: string;
  mode: TransferMode;
  callId: string | null;
  nextAttemptAt: Date | null;
}

const columns = `id, leaver_userid, successor_userid, external_userid, mode, status, retryable, errcode, failure_reason,
  takeover_at, retry_after, attempts, next_attempt_at, call_id, updated_at`;

/** Rows matching `where`; `lock` claims them (FOR UPDATE SKIP LOCKED) so a second instance passes them by. */
export async function selectTransfers(manager: EntityManager, where: string, params: unknown[], lock: "skip" | "wait" | false = false): Promise<TransferRow[]> {
  const suffix = lock === "skip" ? "FOR UPDATE SKIP LOCKED" : lock === "wait" ? "FOR UPDATE" : "";
  const rows: Record<string, any>[] = await manager.query(`SELECT ${columns} FROM customer_transfer WHERE ${where} ORDER BY id ${suffix}`, params);
  return rows.map((r) => ({
    id: String(r.id),
    handoverUserId: r.leaver_userid,
    takeoverUserId: r.successor_userid,
    externalUserId: r.external_userid,
    mode: r.mode,
    status: r.status,
    retryable: r.retryable,
    ...(r.errcode !== null ? { errcode: r.errcode } : {}),
    ...(r.failure_reason !== null ? { failureReason: r.failure_reason } : {}),
    ...(r.takeover_at ? { takeoverAt: r.takeover_at } : {}),
    ...(r.retry_after ? { retryAfter: r.retry_after } : {}),
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    callId: r.call_id === null ? null : String(r.call_id),
    updatedAt: r.updated_at,
  }));
}

/** Applies one input to a row; WeCom's late or repeated reports leave final rows as they are. */
export function advance(row: TransferRow, input: TransferInput): TransferRow {
  return { ...row, ...applyTransferInput(row, input) } as TransferRow;
}

/** Writes rows back in one statement (5,000 rows are one round trip, not 5,000). */
export async function saveTransfers(manager: EntityManager, rows: TransferRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `UPDATE customer_transfer t SET status = r.status, retryable = r.retryable, errcode = r.errcode, failure_reason = r.failure_reason,
       takeover_at = r.takeover_at, retry_after = r.retry_after, attempts = r.attempts, next_attempt_at = r.next_attempt_at,
       call_id = r.call_id, updated_at = r.updated_at
     FROM json_to_recordset($1::json) AS r(id bigint, status text, retryable boolean, errcode integer, failure_reason text,
       takeover_at timestamptz, retry_after timestamptz, attempts integer, next_attempt_at timestamptz, call_id bigint, updated_at timestamptz)
     WHERE t.id = r.id`,
    [
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          status: r.status,
          retryable: r.retryable,
          errcode: r.errcode ?? null,
          failure_reason: r.failureReason ?? null,
          takeover_at: r.takeoverAt ?? null,
          retry_after: r.retryAfter ?? null,
          attempts: r.attempts,
          next_attempt_at: r.nextAttemptAt,
          call_id: r.callId,
          updated_at: r.updatedAt,
        })),
      ),
    ],
  );
}
