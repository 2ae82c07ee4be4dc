import type { TransferResultPage } from "../../wecom";
import type { HandoverDeps } from "../deps";
import { TRANSFER_RESULT_STATUS } from "../../wecom";
import { withBackoff } from "./customerTransfers";
import { advance, saveTransfers, selectTransfers } from "./transferStore";

const KNOWN_STATUSES = new Set<number>(Object.values(TRANSFER_RESULT_STATUS));

/** A transfer WeCom lists nowhere this long after its takeover time did not land (e.g. 40100/40129 for another takeover). */
const NO_RECORD_GRACE_MS = 24 * 3_600_000;

type ResultRecord = TransferResultPage["customer"][number];

/**
 * Which of a customer's records speaks for our current attempt. The pair's list keeps earlier transfers,
 * and a refused record has takeover_time 0 (path/94088: takeover_time is 接替客户的时间，如果是等待接替状态，
 * 则为未来的自动接替时间; a refused transfer never had one). So: the record with the latest takeover_time
 * at or after our attempt started wins; failing that, a refused record (time 0) — the only kind without
 * a time — is ours; a record older than our attempt belongs to an earlier one and says nothing.
 */
export function recordForAttempt(records: ResultRecord[], attemptStartedAt: Date | undefined): ResultRecord | undefined {
  const since = attemptStartedAt ? Math.floor(attemptStartedAt.getTime() / 1000) : 0;
  const timed = records.filter((r) => r.takeover_time > 0 && r.takeover_time >= since).sort((a, b) => b.takeover_time - a.takeover_time);
  if (timed[0]) return timed[0];
  return records.find((r) => r.takeover_time === 0);
}

/**
 * Polls transfer_result for every (leaver, successor, mode) with a transfer
 * past its takeover time, one page per transaction, saving WeCom's cursor
 * after each page so a crash resumes where it stopped. The cursor row is
 * claimed with SKIP LOCKED: two instances never poll the same page twice at
 * once. Returns the number of pages fetched.
 */
export async function pollTransferResults(deps: HandoverDeps): Promise<number> {
  const pairs: { leaver_userid: string; successor_userid: string; mode: "on_job" | "resigned" }[] = await deps.dataSource.query(
    `SELECT DISTINCT leaver_userid, successor_userid, mode FROM customer_transfer
     WHERE status = 'waiting' AND superseded_at IS NULL AND takeover_at <= $1 ORDER BY 1, 2, 3`,
    [deps.clock.now()],
  );
  let pages = 0;
  for (const pair of pairs) {
    // Customers listed anywhere in a sweep that started at the first page (for the no-record rule).
    let seen: Set<string> | null = null;
    for (;;) {
      const more = await deps.dataSource.transaction(async (manager) => {
        const key = [pair.leaver_userid, pair.successor_userid, pair.mode];
        await manager.query(
          `INSERT INTO transfer_result_cursor (leaver_userid, successor_userid, mode, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [...key, deps.clock.now()],
        );
        const [claimed] = await manager.query(
          `SELECT cursor FROM transfer_result_cursor WHERE leaver_userid = $1 AND successor_userid = $2 AND mode = $3 FOR UPDATE SKIP LOCKED`,
          key,
        );
        if (!claimed) return false;
        if (!claimed.cursor && seen === null) seen = new Set();
        const request = { handover_userid: pair.leaver_userid, takeover_userid: pair.successor_userid, ...(claimed.cursor ? { cursor: claimed.cursor } : {}) };
        const page: TransferResultPage =
          pair.mode === "resigned"
            ? await deps.client.customerTransfer.resignedTransferResult(request)
            : await deps.client.customerTransfer.transferResult(request);
        pages++;
        const now = deps.clock.now();
        const byCustomer = new Map<string, ResultRecord[]>();
        for (const c of page.customer) {
          if (!KNOWN_STATUSES.has(c.status)) {
            deps.logger.warn({ pair, status: c.status }, "unknown transfer_result status ignored");
            continue;
          }
          byCustomer.set(c.external_userid, [...(byCustomer.get(c.external_userid) ?? []), c]);
          seen?.add(c.external_userid);
        }
        const rows = await selectTransfers(
          manager,
          `leaver_userid = $1 AND successor_userid = $2 AND mode = $3 AND external_userid = ANY($4) AND superseded_at IS NULL AND status IN ('waiting','requested')`,
          [...key, [...byCustomer.keys()]],
          "wait",
        );
        await saveTransfers(
          manager,
          rows
            .filter((r) => r.status === "waiting")
            .flatMap((r) => {
              // Our attempt started when the call was answered, 24 h before its takeover time.
              const started = r.takeoverAt ? new Date(r.takeoverAt.getTime() - 24 * 3_600_000 - 60_000) : undefined;
              const c = recordForAttempt(byCustomer.get(r.externalUserId) ?? [], started);
              if (!c) return [];
              const takeoverTime = c.takeover_time ? new Date(c.takeover_time * 1000) : undefined;
              return [withBackoff(advance(r, { type: "result_polled", status: c.status, ...(takeoverTime ? { takeoverTime } : {}), at: now }), now)];
            }),
        );
        const next = page.next_cursor ?? "";
        if (next === "" && seen) {
          // The whole list was read and our transfer is in it nowhere, long after its time: it did not land.
          const missing = await selectTransfers(
            manager,
            `leaver_userid = $1 AND successor_userid = $2 AND mode = $3 AND status = 'waiting' AND superseded_at IS NULL
             AND takeover_at <= $4 AND NOT (external_userid = ANY($5))`,
            [...key, new Date(now.getTime() - NO_RECORD_GRACE_MS), [...seen]],
            "wait",
          );
          await saveTransfers(
            manager,
            missing.map((r) => withBackoff(advance(r, { type: "result_polled", status: TRANSFER_RESULT_STATUS.NO_RECORD, at: now }), now)),
          );
        }
        await manager.query(`UPDATE transfer_result_cursor SET cursor = $4, updated_at = $5 WHERE leaver_userid = $1 AND successor_userid = $2 AND mode = $3`, [
          ...key,
          next,
          now,
        ]);
        return next !== "";
      });
      if (!more) break;
    }
  }
  return pages;
}
