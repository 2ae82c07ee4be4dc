import type { TransferResultPage } from "../../wecom/client/api/CustomerTransferApi";
import type { HandoverDeps } from "../deps";
import { TRANSFER_RESULT_STATUS } from "../rules/transferErrors";
import { withBackoff } from "./customerTransfers";
import { advance, saveTransfers, selectTransfers } from "./transferStore";

const KNOWN_STATUSES = new Set<number>(Object.values(TRANSFER_RESULT_STATUS));

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
        const request = { handover_userid: pair.leaver_userid, takeover_userid: pair.successor_userid, ...(claimed.cursor ? { cursor: claimed.cursor } : {}) };
        const page: TransferResultPage =
          pair.mode === "resigned"
            ? await deps.client.customerTransfer.resignedTransferResult(request)
            : await deps.client.customerTransfer.transferResult(request);
        pages++;
        const now = deps.clock.now();
        // A pair's list holds earlier transfers too; the latest takeover_time speaks for the current one.
        const latest = new Map<string, TransferResultPage["customer"][number]>();
        for (const c of page.customer) {
          if (!KNOWN_STATUSES.has(c.status)) {
            deps.logger.warn({ pair, externalUserId: c.external_userid, status: c.status }, "unknown transfer_result status ignored");
            continue;
          }
          const seen = latest.get(c.external_userid);
          if (!seen || c.takeover_time >= seen.takeover_time) latest.set(c.external_userid, c);
        }
        const rows = await selectTransfers(
          manager,
          `leaver_userid = $1 AND successor_userid = $2 AND mode = $3 AND external_userid = ANY($4) AND superseded_at IS NULL AND status IN ('waiting','requested')`,
          [...key, [...latest.keys()]],
          "wait",
        );
        await saveTransfers(
          manager,
          rows
            .filter((r) => r.status === "waiting")
            .map((r) => {
              const c = latest.get(r.externalUserId)!;
              const takeoverTime = c.takeover_time ? new Date(c.takeover_time * 1000) : undefined;
              return withBackoff(advance(r, { type: "result_polled", status: c.status, ...(takeoverTime ? { takeoverTime } : {}), at: now }), now);
            }),
        );
        const next = page.next_cursor ?? "";
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
