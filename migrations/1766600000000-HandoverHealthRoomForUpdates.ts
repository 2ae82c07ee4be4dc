import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every health pass rewrites the facts of the parents whose conversations
 * had messages (a day: a few thousand rows scattered over the table). Half of
 * each page is left free so that rewrite stays on the row's own page (a HOT
 * update: no index entry added to the table's four indexes, a fraction of
 * the write-ahead log) — the columns it changes are in no index. Applies to
 * pages written from now on (the first pass after a reset writes them all).
 */
export class HandoverHealthRoomForUpdates1766600000000 implements MigrationInterface {
  name = "HandoverHealthRoomForUpdates1766600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handover_parent_health SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handover_parent_health RESET (fillfactor)`);
  }
}
