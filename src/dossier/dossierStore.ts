import type { EntityManager } from "typeorm";
import type { JsonValue } from "./canonicalJson";
import { appendEntry, type DossierActor, type DossierEntry } from "./hashChain";

/**
 * The case dossier in PostgreSQL. Appends lock the case row for the rest of
 * the transaction (commands already hold it, so the lock order is always
 * case row first), so two writers never read the same head and fork the
 * chain; the table's trigger refuses updates and deletes.
 */
export async function appendDossier(
  manager: EntityManager,
  caseId: string,
  at: Date,
  kind: string,
  actor: DossierActor,
  payload: JsonValue,
): Promise<DossierEntry> {
  await manager.query(`SELECT 1 FROM resignation_case WHERE id = $1 FOR NO KEY UPDATE`, [caseId]);
  const rows = await manager.query(`${SELECT} WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [caseId]);
  const head = rows[0] ? toEntry(rows[0]) : null;
  const entry = appendEntry(head, { caseId, at, kind, actor, payload });
  await manager.query(
    `INSERT INTO dossier_entry (case_id, seq, at, kind, actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [caseId, entry.seq, entry.at, entry.kind, JSON.stringify(entry.actor), JSON.stringify(entry.payload), entry.prevHash, entry.hash],
  );
  return entry;
}

export async function loadDossier(manager: EntityManager, caseId: string): Promise<DossierEntry[]> {
  const rows = await manager.query(`${SELECT} WHERE case_id = $1 ORDER BY seq`, [caseId]);
  return rows.map(toEntry);
}

// `at` is read back exactly as it was hashed: timestamptz keeps microseconds, ISO text keeps milliseconds.
const SELECT = `SELECT case_id, seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, kind, actor, payload, prev_hash, hash FROM dossier_entry`;

function toEntry(r: Record<string, unknown>): DossierEntry {
  return {
    seq: Number(r.seq),
    caseId: String(r.case_id),
    at: String(r.at),
    kind: String(r.kind),
    actor: r.actor as DossierActor,
    payload: r.payload as JsonValue,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}
