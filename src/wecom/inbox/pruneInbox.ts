import type { DataSource } from "typeorm";

const batch = 5_000;

/**
 * One step of the walk: the next `batch` events after `$2` by primary key; of those received before `$1`, the ones
 * with no work row (done: migration 1767100000000) are deleted. A work row is only ever created in the statement that
 * stores its event, so an event found without one never gets one: nothing can still need it.
 */
const pruneStepSql = `
  WITH scanned AS MATERIALIZED (
    SELECT id, received_at FROM wecom_inbox WHERE id > $2 ORDER BY id LIMIT ${batch}
  ), gone AS (
    DELETE FROM wecom_inbox AS i USING scanned AS s
    WHERE i.id = s.id AND s.received_at < $1
      AND NOT EXISTS (SELECT 1 FROM wecom_inbox_work AS w WHERE w.id = i.id)
    RETURNING i.id
  )
  SELECT (SELECT count(*) FROM gone)::int AS deleted,
         (SELECT count(*) FROM scanned)::int AS scanned,
         (SELECT max(id) FROM scanned)::text AS last_id,
         coalesce((SELECT bool_and(received_at < $1) FROM scanned), false) AS all_before`;

/**
 * Delete handled events received more than the retention period ago, in small batches so the callback path never
 * waits on a long delete. Events still pending, in hand or dead (those with a work row) are never pruned: they still
 * need handling or an operator.
 *
 * Retention counts from receipt: when an event was handled is not kept (its work row is deleted then). Events are
 * walked in id order, which is arrival order, from the oldest, and the walk stops at the first batch holding an event
 * received after the cutoff: what is left before it is the events kept (few), so a run reads what it deletes and one
 * batch more, with no index on received_at to maintain on every insert. An event received before the cutoff but
 * after one that was not (another instance's clock a little behind) waits for the next run: pruned late, never early.
 */
export async function pruneInbox(dataSource: DataSource, now: Date, retentionDays: number): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  let after = "0";
  for (;;) {
    const [step] = (await dataSource.query(pruneStepSql, [before, after])) as { deleted: number; scanned: number; last_id: string | null; all_before: boolean }[];
    total += step!.deleted;
    if (step!.scanned < batch || !step!.all_before || step!.last_id === null) return total;
    after = step!.last_id;
  }
}
