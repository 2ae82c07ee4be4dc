import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The media fetcher's claim as a function that reads archive_media_due in its own order (issue 20; the same
 * cause as 1766710000000-InboxClaimByOrderedScans).
 *
 * Every media file fetched leaves archive_media_due (status 'pending' → 'stored'), its entry staying behind
 * until vacuum. The claim's statement already asked for the index's order (`ORDER BY next_attempt_at LIMIT
 * n`), but on a table never analyzed the planner priced the index by the few pending rows it knew of and
 * chose a bitmap scan, which never marks an entry dead: each claim, and the last one that finds nothing, read
 * every file fetched since the last vacuum (measured: 1,603 → 7,163 entries per empty claim after 4,000 →
 * 8,000 files). The settings (PostgreSQL docs, sql-createfunction: SET "causes the specified configuration
 * parameter to be set to the specified value when the function is entered") rule out bitmap and sequential
 * scans; the ordered scan marks the dead entries it meets and stops once the claim is full. The statement is
 * otherwise the one it replaces: the claim pushes next_attempt_at out by the lease, so another instance skips
 * the rows and a crashed worker's claims come due again after the lease.
 */
export class ArchiveMediaClaimInIndexOrder1767020000004 implements MigrationInterface {
  name = "ArchiveMediaClaimInIndexOrder1767020000004";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION archive_media_claim(claim_at timestamptz, lease_until timestamptz, max_rows integer)
      RETURNS TABLE (msgid text, sdkfileid text, expected_size bigint, md5sum text, attempts integer)
      LANGUAGE plpgsql VOLATILE
      SET enable_bitmapscan = off
      SET enable_seqscan = off
      AS $$
      BEGIN
        RETURN QUERY
        UPDATE archive_media AS a SET next_attempt_at = lease_until
          FROM (SELECT m.msgid, m.sdkfileid FROM archive_media AS m
                 WHERE m.status = 'pending' AND m.next_attempt_at <= claim_at
                 ORDER BY m.next_attempt_at LIMIT max_rows FOR UPDATE SKIP LOCKED) AS due
         WHERE a.msgid = due.msgid AND a.sdkfileid = due.sdkfileid
        RETURNING a.msgid, a.sdkfileid, a.expected_size, a.md5sum, a.attempts;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION archive_media_claim(timestamptz, timestamptz, integer)`);
  }
}
