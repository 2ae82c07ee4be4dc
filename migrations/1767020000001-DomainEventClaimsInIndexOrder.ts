import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The domain event bus's two reads as functions that read their partial indexes in the indexes' own order
 * (issue 20; the same cause as 1766710000000-InboxClaimByOrderedScans and 1767020000000-OutboxClaimInDueOrder).
 *
 * Neither table is pruned, and each event and each delivery leaves its partial index (domain_event_new,
 * domain_event_delivery_due) once handled, its entry staying behind until vacuum. Measured on 4,000 events
 * with two subscribers each, handled one by one, then a burst of 1,500 (EXPLAIN and pg_stat_user_indexes):
 * - fan-out, never analyzed: a bitmap scan of domain_event_new, which never marks an entry dead, so every
 *   fan-out read every event fanned out since the last vacuum (2,500 → 10,000 entries per empty fan-out);
 * - delivery claim, analyzed while a burst waited: the planner believed thousands of deliveries were due and
 *   walked domain_event_delivery's primary key in event order, filtering on the heap: every claim read every
 *   delivery ever made (5,002 → 20,002 entries), and the claim runs once per delivery (LIMIT 1), so a burst
 *   cost the square of the table.
 *
 * The settings (PostgreSQL docs, sql-createfunction: SET "causes the specified configuration parameter to be
 * set to the specified value when the function is entered") rule out bitmap and sequential scans, whose
 * pricing cannot see dead entries; an ordered index scan marks the dead entries it meets, so later scans skip
 * them, and stops once its LIMIT is met. Fan-out keeps id order (domain_event_new is keyed on id). The
 * delivery claim now takes due order (next_attempt_at, then event_id: domain_event_delivery_due's key), so
 * the primary key's event order cannot be used without a sort of everything due. Deliveries fanned out
 * together are due together and go in event order, and fan-out runs in event order, so publishing order is
 * kept as before; a delivery waiting for its retry goes after those that fell due before it (it already did
 * not hold them up). Columns are named, not the tables' row types, so the tables stay free to change.
 */
export class DomainEventClaimsInIndexOrder1767020000001 implements MigrationInterface {
  name = "DomainEventClaimsInIndexOrder1767020000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION domain_event_unfanned(max_rows integer)
      RETURNS TABLE (id bigint, name text)
      LANGUAGE plpgsql VOLATILE
      SET enable_bitmapscan = off
      SET enable_seqscan = off
      AS $$
      BEGIN
        RETURN QUERY
        SELECT e.id, e.name FROM domain_event AS e WHERE e.fanned_out_at IS NULL
         ORDER BY e.id LIMIT max_rows FOR UPDATE SKIP LOCKED;
      END
      $$`);
    await q.query(`
      CREATE FUNCTION domain_event_delivery_claim(claim_at timestamptz)
      RETURNS TABLE (event_id bigint, subscriber text, failures integer, name text, payload jsonb, created_at timestamptz)
      LANGUAGE plpgsql VOLATILE
      SET enable_bitmapscan = off
      SET enable_seqscan = off
      AS $$
      BEGIN
        RETURN QUERY
        SELECT d.event_id, d.subscriber, d.failures, e.name, e.payload, e.created_at
          FROM domain_event_delivery AS d JOIN domain_event AS e ON e.id = d.event_id
         WHERE d.done_at IS NULL AND d.given_up_at IS NULL AND d.next_attempt_at <= claim_at
         ORDER BY d.next_attempt_at, d.event_id LIMIT 1 FOR UPDATE OF d SKIP LOCKED;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION domain_event_delivery_claim(timestamptz)`);
    await q.query(`DROP FUNCTION domain_event_unfanned(integer)`);
  }
}
