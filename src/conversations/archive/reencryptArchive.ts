import type { DataSource } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";

/**
 * Key rotation, second half: after a new key is made active, re-seal every
 * body still under an older key, in small batches (each its own transaction)
 * so it can run alongside ingest and resume after interruption. Once it
 * returns 0 the old key can be removed from DATA_ENCRYPTION_KEYS.
 */
export async function reencryptArchiveBodies(dataSource: DataSource, keyRing: DataKeyRing, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await dataSource.transaction(async (tx) => {
      const rows: Array<{ msgid: string; msg_time: Date; body_ciphertext: Buffer; body_key_id: string }> = await tx.query(
        `SELECT msgid, msg_time, body_ciphertext, body_key_id FROM archive_message
          WHERE body_key_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [keyRing.activeKeyId, batchSize],
      );
      if (rows.length === 0) return 0;
      const resealed = rows.map((r) => keyRing.reseal({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid));
      await tx.query(
        `UPDATE archive_message m SET body_ciphertext = u.body, body_key_id = u.key_id
           FROM unnest($1::text[], $2::timestamptz[], $3::bytea[], $4::text[]) AS u(msgid, msg_time, body, key_id)
          WHERE m.msgid = u.msgid AND m.msg_time = u.msg_time`,
        [rows.map((r) => r.msgid), rows.map((r) => r.msg_time), resealed.map((s) => s.ciphertext), resealed.map((s) => s.keyId)],
      );
      return rows.length;
    });
    if (done === 0) return total;
    total += done;
  }
}
