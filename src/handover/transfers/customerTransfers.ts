import type { EntityManager } from "typeorm";
import { WeComApiError } from "../../wecom";
import type { TransferCustomerResult } from "../../wecom";
import type { HandoverDeps } from "../deps";
import { MAX_IDS_PER_TRANSFER_CALL } from "../rules/transferBatches";
import { WECOM_ERRCODE } from "../../wecom";
import { exhaustedText } from "../rules/transferErrors";
import { onJobTransferAvailableAt } from "../rules/transferBatches";
import { successorIntroduction } from "../notices/successorIntroduction";
import { recordAnswer, recordIntendedCall, sendPendingCalls, type PendingCall } from "./callLedger";
import { advance, saveTransfers, selectTransfers, type TransferRow } from "./transferStore";

/** After this many attempts a retryable failure goes to HR instead of being retried again. */
export const MAX_TRANSFER_ATTEMPTS = 5;

const due = `t.status = 'requested' AND t.call_id IS NULL AND t.superseded_at IS NULL
  AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= $1)
  -- The resigned endpoint only accepts members WeCom shows as left; until the directory says so, they wait.
  AND (t.mode = 'on_job' OR NOT EXISTS (SELECT 1 FROM staff s WHERE s.userid = t.leaver_userid AND s.status <> 5))`;

/**
 * Turns due transfer rows into recorded calls of ≤ 100 parents of one
 * (leaver, successor, endpoint), each committed before anything is sent.
 */
export async function queueDueCustomerTransfers(deps: HandoverDeps): Promise<number> {
  let calls = 0;
  for (;;) {
    const outcome = await deps.dataSource.transaction(async (manager): Promise<"none" | "queued" | "taken"> => {
      const now = deps.clock.now();
      // Which group is due next: read without a row lock. One queuer per (leaver, successor, endpoint) at a
      // time, and none holding a row of the group while it waits: otherwise two instances skipping each
      // other's locked rows cut a group into more, smaller calls than ⌈n/100⌉ (each parent still asked once).
      // Read through customer_transfer_due alone, in its order, whatever the statistics say (migration
      // 1767020000003); the function repeats `due`.
      const [first] = await manager.query(`SELECT leaver_userid, successor_userid, mode FROM customer_transfer_first_due($1)`, [now]);
      if (!first) return "none";
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('customer-transfer-queue:' || $1 || ':' || $2 || ':' || $3))`, [
        first.leaver_userid,
        first.successor_userid,
        first.mode,
      ]);
      // Selected after the lock: this statement sees what another instance committed meanwhile.
      const rows = await selectTransfers(
        manager,
        `id IN (SELECT t.id FROM customer_transfer t WHERE ${due} AND t.leaver_userid = $2 AND t.successor_userid = $3 AND t.mode = $4
                ORDER BY t.id LIMIT ${MAX_IDS_PER_TRANSFER_CALL} FOR UPDATE SKIP LOCKED)`,
        [now, first.leaver_userid, first.successor_userid, first.mode],
      );
      if (rows.length === 0) return "taken";
      const message = first.mode === "on_job" ? await onJobMessage(manager, first.leaver_userid, first.successor_userid) : null;
      const callId = await recordIntendedCall(
        manager,
        {
          endpoint: first.mode === "on_job" ? "customer_on_job" : "customer_resigned",
          leaverUserid: first.leaver_userid,
          successorUserid: first.successor_userid,
          ids: rows.map((r) => r.externalUserId),
          message,
        },
        now,
      );
      await saveTransfers(manager, rows.map((r) => ({ ...r, callId, updatedAt: now })));
      return "queued";
    });
    // "taken": another instance queued this group's due rows (or holds them): it carries on, this pass stops
    // rather than spin on rows it cannot lock; the next pass finds whatever is left.
    if (outcome !== "queued") return calls;
    calls++;
  }
}

/** Sends pending customer transfer calls and records, per parent, what WeCom answered. */
export function sendCustomerTransferCalls(deps: HandoverDeps): Promise<number> {
  return sendPendingCalls(deps.dataSource, ["customer_on_job", "customer_resigned"], (manager, call) => sendCall(deps, manager, call));
}

async function sendCall(deps: HandoverDeps, manager: EntityManager, call: PendingCall): Promise<void> {
  const request = { handover_userid: call.leaverUserid, takeover_userid: call.successorUserid, external_userid: call.ids };
  let errcodes: Map<string, number>;
  let reply: TransferCustomerResult | { errcode: number; errmsg: string };
  try {
    reply =
      call.endpoint === "customer_on_job"
        ? await deps.client.customerTransfer.transferCustomer({ ...request, ...(call.message ? { transfer_success_msg: call.message } : {}) })
        : await deps.client.customerTransfer.resignedTransferCustomer(request);
    // A parent missing from the answer did not start: retry it rather than assume.
    errcodes = new Map(call.ids.map((id) => [id, WECOM_ERRCODE.BUSY as number]));
    for (const c of reply.customer) if (errcodes.has(c.external_userid)) errcodes.set(c.external_userid, c.errcode);
  } catch (err) {
    if (!(err instanceof WeComApiError)) throw err;
    // The whole call was refused: every parent in it shares that errcode.
    reply = { errcode: err.errcode, errmsg: err.errmsg };
    errcodes = new Map(call.ids.map((id) => [id, err.errcode]));
  }
  const now = deps.clock.now();
  await recordAnswer(manager, call.id, { state: "customer" in reply ? "answered" : "failed", errcode: reply.errcode ?? 0, response: reply }, now);
  const rows = await selectTransfers(manager, `call_id = $1 AND status = 'requested'`, [call.id], "wait");
  const quotaOpens = await quotaWindowOpens(
    manager,
    rows.filter((r) => errcodes.get(r.externalUserId) === WECOM_ERRCODE.TOO_FREQUENT).map((r) => r.externalUserId),
    now,
  );
  await saveTransfers(
    manager,
    rows.map((r) => {
      const errcode = errcodes.get(r.externalUserId) ?? WECOM_ERRCODE.BUSY;
      const quotaOpensAt = quotaOpens.get(r.externalUserId);
      return withBackoff(advance(r, { type: "call_result", errcode, at: now, ...(quotaOpensAt ? { quotaOpensAt } : {}) }), now);
    }),
  );
}

/**
 * 40128: WeCom allows an on-job customer two transfers in 90 days (go-workwx errcodes/mod.go ErrCode40128).
 * When our own history shows the two, the window opens 90 days after the older one; otherwise (transfers
 * made in the admin console) the state machine waits the full 90 days.
 */
async function quotaWindowOpens(manager: EntityManager, externalUserids: string[], now: Date): Promise<Map<string, Date>> {
  if (externalUserids.length === 0) return new Map();
  const history: { external_userid: string; started: Date[] }[] = await manager.query(
    `SELECT external_userid, array_agg(requested_at) AS started FROM customer_transfer
     WHERE external_userid = ANY($1) AND mode = 'on_job' AND status IN ('waiting','done','successor_over_limit') GROUP BY external_userid`,
    [externalUserids],
  );
  const opens = new Map<string, Date>();
  for (const h of history) {
    const at = onJobTransferAvailableAt(h.started, now);
    if (at.getTime() > now.getTime()) opens.set(h.external_userid, at);
  }
  return opens;
}

/** Retryable failures whose time has come start again; those out of attempts become final (and reach HR). */
export async function retryDueTransfers(deps: HandoverDeps): Promise<number> {
  return deps.dataSource.transaction(async (manager) => {
    const now = deps.clock.now();
    const rows = await selectTransfers(
      manager,
      `status = 'failed' AND retryable AND superseded_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)`,
      [now],
      "skip",
    );
    await saveTransfers(
      manager,
      rows.map((r) =>
        // A wait for the 90-day window is not a failed attempt: it is retried when the window opens, whatever the count.
        r.attempts >= MAX_TRANSFER_ATTEMPTS && r.errcode !== WECOM_ERRCODE.TOO_FREQUENT && r.retryAfter === undefined
          ? { ...r, retryable: false, failureReason: exhaustedText(r.errcode, r.attempts), updatedAt: now }
          : { ...advance(r, { type: "retry", at: now }), callId: null, nextAttemptAt: null },
      ),
    );
    return rows.length;
  });
}

/** Retryable failures wait longer after each attempt; quota failures wait until the quota allows. */
export function withBackoff(row: TransferRow, now: Date): TransferRow {
  if (row.status !== "failed" || !row.retryable) return row;
  const backoffMs = Math.min(5 * 60_000 * 2 ** (row.attempts - 1), 6 * 3_600_000);
  const next = row.retryAfter ?? new Date(now.getTime() + backoffMs);
  return { ...row, nextAttemptAt: next };
}

async function onJobMessage(manager: EntityManager, leaverUserid: string, successorUserid: string): Promise<string> {
  const [plan] = await manager.query(`SELECT on_job_message FROM reassignment_plan WHERE leaver_userid = $1`, [leaverUserid]);
  return plan?.on_job_message ?? successorIntroduction(manager, leaverUserid, successorUserid);
}
