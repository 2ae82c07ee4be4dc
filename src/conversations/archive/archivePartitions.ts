import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "../../platform/logger";

type Queryable = Pick<DataSource | EntityManager, "query">;

const monthStart = (year: number, month0: number) => new Date(Date.UTC(year, month0, 1));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Create the monthly partitions around `now` (previous month for late
 * catch-up, current, and the months ahead) so rows rarely land in the default
 * partition. Idempotent; safe from several instances.
 */
export async function ensureArchivePartitions(db: Queryable, now: Date, monthsAhead = 1): Promise<string[]> {
  const created: string[] = [];
  for (let offset = -1; offset <= monthsAhead; offset++) {
    const month = monthStart(now.getUTCFullYear(), now.getUTCMonth() + offset);
    const [row] = await db.query(`SELECT archive_ensure_month_partition($1::date) AS created`, [isoDate(month)]);
    if (row.created) created.push(`archive_message_${isoDate(month).slice(0, 7).replace("-", "_")}`);
  }
  return created;
}

export interface PurgedRange {
  partitionName: string;
  rangeFrom: Date | null;
  rangeTo: Date;
  rowsPurged: number;
}

const partitionName = /^archive_message_(\d{4})_(\d{2})$/;

/**
 * Retention (PIPL 19/47: keep no longer than the notice says): whole month
 * partitions that ended before now − ARCHIVE_RETENTION_DAYS are detached and
 * dropped, which is instant and leaves no dead tuples. Older stragglers in the
 * default partition, their exactly-once ids and old dead letters go too. Each
 * step is logged in archive_purge_log.
 */
export async function purgeExpiredArchive(
  dataSource: DataSource,
  now: Date,
  retentionDays: number,
  logger: Logger,
): Promise<PurgedRange[]> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const partitions: Array<{ name: string }> = await dataSource.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'archive_message'::regclass ORDER BY c.relname`,
  );
  const purged: PurgedRange[] = [];
  for (const { name } of partitions) {
    const match = partitionName.exec(name);
    if (!match) continue;
    const from = monthStart(Number(match[1]), Number(match[2]) - 1);
    const to = monthStart(Number(match[1]), Number(match[2]));
    if (to.getTime() > cutoff.getTime()) continue;
    const rowsPurged = await dataSource.transaction(async (tx) => {
      // The name matched a strict pattern above, so quoting it is enough.
      await tx.query(`ALTER TABLE archive_message DETACH PARTITION "${name}"`);
      const [{ count }] = await tx.query(`SELECT count(*)::bigint AS count FROM "${name}"`);
      await tx.query(`DROP TABLE "${name}"`);
      await tx.query(`DELETE FROM archive_msgid WHERE msg_time >= $1 AND msg_time < $2`, [from, to]);
      await logPurge(tx, name, from, to, Number(count), now);
      return Number(count);
    });
    purged.push({ partitionName: name, rangeFrom: from, rangeTo: to, rowsPurged });
  }
  await dataSource.transaction(async (tx) => {
    const [, stragglers] = await tx.query(`DELETE FROM archive_message_default WHERE msg_time < $1`, [cutoff]);
    await tx.query(`DELETE FROM archive_msgid WHERE msg_time < $1`, [cutoff]);
    const [, deadLetters] = await tx.query(`DELETE FROM archive_dead_letter WHERE created_at < $1`, [cutoff]);
    // Media follows its message out of retention.
    const [, media] = await tx.query(`DELETE FROM archive_media WHERE msg_time < $1`, [cutoff]);
    for (const [table, rows] of [["archive_message_default", stragglers], ["archive_dead_letter", deadLetters], ["archive_media", media]] as const) {
      if (rows > 0) {
        await logPurge(tx, table, null, cutoff, rows, now);
        purged.push({ partitionName: table, rangeFrom: null, rangeTo: cutoff, rowsPurged: rows });
      }
    }
  });
  if (purged.length > 0) logger.info({ purged, cutoff }, "archive retention purge");
  return purged;
}

async function logPurge(tx: EntityManager, name: string, from: Date | null, to: Date, rows: number, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO archive_purge_log (partition_name, range_from, range_to, rows_purged, purged_at) VALUES ($1, $2, $3, $4, $5)`,
    [name, from, to, rows, now],
  );
}
