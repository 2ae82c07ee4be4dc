import type { EntityManager } from "typeorm";
import { decodeCursor, encodeCursor } from "./pageCursor";

/** One conversation: a 1:1 thread (staff member and parent) or a group chat. */
export type ThreadKey = { kind: "single"; staffUserid: string; externalUserid: string } | { kind: "room"; roomId: string };

export type ThreadSummary = ThreadKey & { messages: number; firstAt: Date; lastAt: Date };

export interface ThreadFilter {
  staffUserid?: string;
  externalUserid?: string;
  /** A successor's view: only 1:1 threads with these parents, no groups. */
  onlyParents?: string[];
  from: Date;
  to: Date;
}

/** Beyond this many threads in one scope a listing is cut (a teacher has a few hundred parents at most). */
const MAX_THREADS = 5000;

/**
 * Threads of a staff member or of a parent with counts and last message time,
 * newest first, from metadata only (no body is decrypted). Groups are those
 * the staff member (or parent) wrote in; their counts cover everyone's messages.
 */
export async function threadSummaries(manager: EntityManager, filter: ThreadFilter): Promise<ThreadSummary[]> {
  const rows: Array<{ kind: "single" | "room"; staff_userid: string | null; external_userid: string | null; room_id: string | null; messages: number; first_at: Date; last_at: Date }> =
    await manager.query(
      `WITH scoped AS (
         SELECT staff_userid, external_userid, room_id, msg_time FROM archive_message
          WHERE msg_time >= $1 AND msg_time < $2
            AND ($3::text IS NULL OR staff_userid = $3)
            AND ($4::text IS NULL OR external_userid = $4)
       )
       SELECT 'single' AS kind, staff_userid, external_userid, NULL AS room_id, count(*)::int AS messages, min(msg_time) AS first_at, max(msg_time) AS last_at
         FROM scoped
        WHERE room_id IS NULL AND staff_userid IS NOT NULL AND external_userid IS NOT NULL
          AND ($5::text[] IS NULL OR external_userid = ANY($5))
        GROUP BY staff_userid, external_userid
       UNION ALL
       SELECT 'room', NULL, NULL, m.room_id, count(*)::int, min(m.msg_time), max(m.msg_time)
         FROM archive_message m
        WHERE $5::text[] IS NULL
          AND m.msg_time >= $1 AND m.msg_time < $2
          AND m.room_id IN (SELECT DISTINCT room_id FROM scoped WHERE room_id IS NOT NULL)
        GROUP BY m.room_id
       ORDER BY last_at DESC
       LIMIT $6`,
      [filter.from, filter.to, filter.staffUserid ?? null, filter.externalUserid ?? null, filter.onlyParents ?? null, MAX_THREADS],
    );
  return rows.map((r) => {
    const counts = { messages: r.messages, firstAt: r.first_at, lastAt: r.last_at };
    return r.kind === "room"
      ? { kind: "room", roomId: r.room_id as string, ...counts }
      : { kind: "single", staffUserid: r.staff_userid as string, externalUserid: r.external_userid as string, ...counts };
  });
}

export function threadId(t: ThreadKey): string {
  return t.kind === "room" ? `room:${t.roomId}` : `single:${t.staffUserid}:${t.externalUserid}`;
}

/** Newest first, ties by id, so a cursor (last time + id) resumes exactly. */
export function pageThreads(threads: ThreadSummary[], cursor: string | undefined, limit: number): { items: ThreadSummary[]; nextCursor: string | null } {
  const sorted = [...threads].sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime() || threadId(a).localeCompare(threadId(b)));
  let start = 0;
  if (cursor) {
    const at = decodeCursor(cursor, { t: "number", id: "string" });
    start = sorted.findIndex((s) => s.lastAt.getTime() < (at.t as number) || (s.lastAt.getTime() === at.t && threadId(s).localeCompare(at.id as string) > 0));
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = start + limit < sorted.length;
  return { items, nextCursor: more && last ? encodeCursor({ t: last.lastAt.getTime(), id: threadId(last) }) : null };
}
