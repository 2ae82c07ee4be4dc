/**
 * Events stored, events done and the newest event's id, counted in one statement so they agree. Done is an event
 * with no work row left (migration 1767100000000): every work row has its event, so the difference counts them.
 */
export const storedAndDoneSql = `
  SELECT count(*)::int AS rows, (count(*) - (SELECT count(*) FROM wecom_inbox_work))::int AS done, coalesce(max(id), 0)::text AS last_id
  FROM wecom_inbox`;

export interface StoredAndDone {
  rows: number;
  done: number;
  last_id: string;
}
