import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The chat-archive mirror.
 *
 * - archive_message is partitioned by month on msg_time so retention drops
 *   whole partitions instead of deleting row by row. A DEFAULT partition
 *   catches rows whose month has no partition yet (never lose a row);
 *   archive_ensure_month_partition() moves them out when the month is created.
 * - A unique constraint on a partitioned table must include the partition
 *   key, so (msgid, msg_time) is the local key and archive_msgid (msgid PK)
 *   enforces exactly-once across all partitions.
 * - Bodies are sealed at rest (AES-256-GCM, key id per row). Keyword search
 *   is deliberately NOT indexed: keyed hashes of bigrams would still leak
 *   term frequencies of parents' chats. Search decrypts on read within a
 *   scope (a staff member, a parent or a room, plus a time range), which the
 *   indexes below make cheap.
 * - The cursor advances in the same transaction that stores a page, and
 *   undecryptable records go to archive_dead_letter with their raw chatdata,
 *   so the cursor never passes a message that is neither stored nor parked.
 */
export class ArchiveIngest1764400000000 implements MigrationInterface {
  name = "ArchiveIngest1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE archive_message (
        msgid text NOT NULL,
        seq bigint NOT NULL,
        publickey_ver integer NOT NULL,
        action text NOT NULL CHECK (action IN ('send', 'recall')),
        msgtype text NOT NULL,
        from_id text NOT NULL,
        to_list text[] NOT NULL,
        room_id text,
        msg_time timestamptz NOT NULL,
        staff_userid text,
        external_userid text,
        recalls_msgid text,
        recalled_at timestamptz,
        recalled_by_msgid text,
        body_ciphertext bytea NOT NULL,
        body_key_id text NOT NULL,
        media jsonb,
        stored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (msgid, msg_time)
      ) PARTITION BY RANGE (msg_time)`);
    await q.query(`CREATE TABLE archive_message_default PARTITION OF archive_message DEFAULT`);
    await q.query(`CREATE INDEX archive_message_staff_time ON archive_message (staff_userid, msg_time) WHERE staff_userid IS NOT NULL`);
    await q.query(`CREATE INDEX archive_message_external_time ON archive_message (external_userid, msg_time) WHERE external_userid IS NOT NULL`);
    await q.query(`CREATE INDEX archive_message_room_time ON archive_message (room_id, msg_time) WHERE room_id IS NOT NULL`);
    await q.query(`CREATE INDEX archive_message_key ON archive_message (body_key_id)`);

    await q.query(`
      CREATE TABLE archive_msgid (
        msgid text PRIMARY KEY,
        msg_time timestamptz NOT NULL,
        seq bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX archive_msgid_time ON archive_msgid (msg_time)`);

    await q.query(`
      CREATE TABLE archive_cursor (
        corp_id text PRIMARY KEY,
        last_seq bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE archive_dead_letter (
        id bigserial PRIMARY KEY,
        corp_id text NOT NULL,
        seq bigint NOT NULL,
        msgid text,
        publickey_ver integer,
        reason text NOT NULL,
        chatdata jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz,
        UNIQUE (corp_id, seq)
      )`);
    await q.query(`CREATE INDEX archive_dead_letter_open ON archive_dead_letter (corp_id, seq) WHERE resolved_at IS NULL`);

    // One row per (staff, parent) for 1:1 chats and per (room, parent) for groups
    // (check_room_agree reports per external member of a room).
    for (const [table, scope] of [["archive_consent", "staff_userid"], ["archive_room_consent", "room_id"]] as const) {
      await q.query(`
        CREATE TABLE ${table} (
          ${scope} text NOT NULL,
          external_userid text NOT NULL,
          status text NOT NULL CHECK (status IN ('agree', 'disagree')),
          changed_at timestamptz NOT NULL,
          source text NOT NULL CHECK (source IN ('event', 'check_single_agree', 'check_room_agree', 'archive_message')),
          recorded_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (${scope}, external_userid)
        )`);
    }

    await q.query(`
      CREATE TABLE archive_purge_log (
        id bigserial PRIMARY KEY,
        partition_name text NOT NULL,
        range_from timestamptz,
        range_to timestamptz NOT NULL,
        rows_purged bigint NOT NULL,
        purged_at timestamptz NOT NULL
      )`);

    // Months are UTC months so partition bounds do not depend on the session TimeZone.
    await q.query(`
      CREATE FUNCTION archive_ensure_month_partition(month_start date) RETURNS boolean
      LANGUAGE plpgsql AS $$
      DECLARE
        first_day date := date_trunc('month', month_start)::date;
        lo timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
        hi timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        part text := format('archive_message_%s', to_char(first_day, 'YYYY_MM'));
      BEGIN
        IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('archive_message_partitions'));
        IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
        EXECUTE format('CREATE TABLE %I (LIKE archive_message INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
        -- Rows that arrived before their month existed sit in the default partition; attaching
        -- would fail while they are there, so move them into the new partition first.
        EXECUTE format('WITH moved AS (DELETE FROM archive_message_default WHERE msg_time >= $1 AND msg_time < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved', part) USING lo, hi;
        EXECUTE format('ALTER TABLE archive_message ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        RETURN true;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION archive_ensure_month_partition(date)`);
    await q.query(`DROP TABLE archive_purge_log, archive_room_consent, archive_consent, archive_dead_letter, archive_cursor, archive_msgid, archive_message`);
  }
}
