import type { DataSource } from "typeorm";
import { returnedRows } from "../../platform/db/returnedRows";

const batch = 5_000;

/**
 * Delete handled events older than the retention period, in small batches so
 * the callback path never waits on a long delete. Pending and dead events are
 * never pruned: they still need handling or an operator.
 */
export async function pruneInbox(dataSource: DataSource, now: Date, retentionDays: number): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const deleted = returnedRows(
      await dataSource.query(
        `DELETE FROM wecom_inbox WHERE id IN (
           SELECT id FROM wecom_inbox WHERE status = 'done' AND handled_at < $1 ORDER BY handled_at LIMIT ${batch})
         RETURNING id`,
        [before],
      ),
    ).length;
    total += deleted;
    if (deleted < batch) return total;
  }
}
