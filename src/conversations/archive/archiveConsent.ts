import type { DataSource, EntityManager } from "typeorm";
import type { ConsentStatus, ConsentView } from "./conversationScope";

export type ConsentSource = "event" | "check_single_agree" | "check_room_agree" | "archive_message";

export interface SingleConsent {
  staffUserid: string;
  externalUserid: string;
  status: ConsentStatus;
  changedAt: Date;
  source: ConsentSource;
}

export interface RoomConsent {
  roomId: string;
  externalUserid: string;
  status: ConsentStatus;
  changedAt: Date;
  source: ConsentSource;
}

type Queryable = Pick<DataSource | EntityManager, "query">;

/**
 * Record consent changes (msg_audit_approved events, check_single_agree /
 * check_room_agree results, agree/disagree archive records). A change older
 * than what is stored is ignored, so late or replayed reports cannot undo a
 * newer decision.
 */
export async function recordSingleConsent(db: Queryable, changes: SingleConsent[], recordedAt: Date): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `INSERT INTO archive_consent (staff_userid, external_userid, status, changed_at, source, recorded_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[])
     ON CONFLICT (staff_userid, external_userid) DO UPDATE
       SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at, source = EXCLUDED.source, recorded_at = EXCLUDED.recorded_at
       WHERE archive_consent.changed_at <= EXCLUDED.changed_at`,
    [
      changes.map((c) => c.staffUserid),
      changes.map((c) => c.externalUserid),
      changes.map((c) => c.status),
      changes.map((c) => c.changedAt),
      changes.map((c) => c.source),
      changes.map(() => recordedAt),
    ],
  );
}

export async function recordRoomConsent(db: Queryable, changes: RoomConsent[], recordedAt: Date): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `INSERT INTO archive_room_consent (room_id, external_userid, status, changed_at, source, recorded_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[])
     ON CONFLICT (room_id, external_userid) DO UPDATE
       SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at, source = EXCLUDED.source, recorded_at = EXCLUDED.recorded_at
       WHERE archive_room_consent.changed_at <= EXCLUDED.changed_at`,
    [
      changes.map((c) => c.roomId),
      changes.map((c) => c.externalUserid),
      changes.map((c) => c.status),
      changes.map((c) => c.changedAt),
      changes.map((c) => c.source),
      changes.map(() => recordedAt),
    ],
  );
}

const pairKey = (scope: string, external: string) => `${scope}\u0000${external}`;

/**
 * Consent as seen by one drain: loaded from the database on first need, then
 * updated by the agree/disagree records of the stream itself, so a page sees
 * the consent changes of the pages before it even while their write is still
 * in flight.
 */
export class ConsentCache implements ConsentView {
  private readonly singles = new Map<string, ConsentStatus | undefined>();
  private readonly rooms = new Map<string, ConsentStatus | undefined>();

  constructor(private readonly db: Queryable) {}

  single(staffUserid: string, externalUserid: string): ConsentStatus | undefined {
    return this.singles.get(pairKey(staffUserid, externalUserid));
  }

  room(roomId: string, externalUserid: string): ConsentStatus | undefined {
    return this.rooms.get(pairKey(roomId, externalUserid));
  }

  setSingle(staffUserid: string, externalUserid: string, status: ConsentStatus): void {
    this.singles.set(pairKey(staffUserid, externalUserid), status);
  }

  /** Load every pair not yet known, in one query per table. */
  async load(singles: Array<[string, string]>, rooms: Array<[string, string]>): Promise<void> {
    await this.fill(this.singles, singles, "archive_consent", "staff_userid");
    await this.fill(this.rooms, rooms, "archive_room_consent", "room_id");
  }

  private async fill(
    cache: Map<string, ConsentStatus | undefined>,
    pairs: Array<[string, string]>,
    table: "archive_consent" | "archive_room_consent",
    scopeColumn: "staff_userid" | "room_id",
  ): Promise<void> {
    const missing = new Map<string, [string, string]>();
    for (const [scope, ext] of pairs) {
      const key = pairKey(scope, ext);
      if (!cache.has(key)) missing.set(key, [scope, ext]);
    }
    if (missing.size === 0) return;
    const list = [...missing.values()];
    const rows: Array<{ scope: string; ext: string; status: ConsentStatus }> = await this.db.query(
      `SELECT c.${scopeColumn} AS scope, c.external_userid AS ext, c.status
         FROM ${table} c
         JOIN unnest($1::text[], $2::text[]) AS p(scope, ext) ON c.${scopeColumn} = p.scope AND c.external_userid = p.ext`,
      [list.map((p) => p[0]), list.map((p) => p[1])],
    );
    for (const key of missing.keys()) cache.set(key, undefined);
    for (const row of rows) cache.set(pairKey(row.scope, row.ext), row.status);
  }
}
