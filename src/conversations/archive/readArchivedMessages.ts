import type { DataSource } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { parseArchivedMessage, type ChatMessage } from "../../wecom";

export interface ArchiveScope {
  staffUserid?: string;
  externalUserid?: string;
  roomId?: string;
  /** Only messages with one of these parents (a successor's inherited threads). */
  externalUserids?: string[];
  from: Date;
  to: Date;
  /** Keyset paging: only messages after this (msg_time, seq). */
  after?: { msgTime: Date; seq: number };
  limit?: number;
}

export interface StoredChat {
  seq: number;
  message: ChatMessage;
  staffUserid: string | null;
  externalUserid: string | null;
  roomId: string | null;
  msgTime: Date;
  recalledAt: Date | null;
}

/**
 * Decrypt-on-read within a scope (one staff member, parent or room, plus a
 * time range): the only way bodies are read back, and where keyword search
 * happens (see the migration on why there is no search index).
 */
export async function readArchivedMessages(dataSource: DataSource, keyRing: DataKeyRing, scope: ArchiveScope): Promise<StoredChat[]> {
  if (!scope.staffUserid && !scope.externalUserid && !scope.roomId) {
    throw new Error("an archive read needs a staff member, a parent or a room");
  }
  const rows: Array<{
    msgid: string;
    seq: string;
    body_ciphertext: Buffer;
    body_key_id: string;
    staff_userid: string | null;
    external_userid: string | null;
    room_id: string | null;
    msg_time: Date;
    recalled_at: Date | null;
  }> = await dataSource.query(
    `SELECT msgid, seq, body_ciphertext, body_key_id, staff_userid, external_userid, room_id, msg_time, recalled_at
       FROM archive_message
      WHERE msg_time >= $1 AND msg_time < $2
        AND ($3::text IS NULL OR staff_userid = $3)
        AND ($4::text IS NULL OR external_userid = $4)
        AND ($5::text IS NULL OR room_id = $5)
        AND ($9::text[] IS NULL OR external_userid = ANY($9))
        AND ($7::timestamptz IS NULL OR (msg_time, seq) > ($7, $8::bigint))
      ORDER BY msg_time, seq
      LIMIT $6`,
    [
      scope.from,
      scope.to,
      scope.staffUserid ?? null,
      scope.externalUserid ?? null,
      scope.roomId ?? null,
      scope.limit ?? 1000,
      scope.after?.msgTime ?? null,
      scope.after?.seq ?? 0,
      scope.externalUserids ?? null,
    ],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    message: parseArchivedMessage(keyRing.open({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid).toString("utf8")) as ChatMessage,
    staffUserid: r.staff_userid,
    externalUserid: r.external_userid,
    roomId: r.room_id,
    msgTime: r.msg_time,
    recalledAt: r.recalled_at,
  }));
}
