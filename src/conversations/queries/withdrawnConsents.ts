import type { EntityManager } from "typeorm";
import { displayNames, scope, scopeSql, teacherTitle } from "../../org";
import type { Actor } from "../../org";
import { formatDateZh, fromInstant } from "../../platform/localDate";
import { erasureDueAt } from "../consent/erasureDue";
import { parentLabels } from "../presenters/parentLabels";

/** One withdrawal HR may hold, in words; the accounts appear only in `target`, the form's address. */
export interface WithdrawnConsent {
  kind: "pair" | "group";
  /** The hold API's path under /api/conversations/erasure-holds (also the console form's). */
  target: string;
  teacher: string | null;
  group: string | null;
  parent: string;
  withdrawnOn: string;
  storedMessages: number;
  /** The day the grace period ends (erasureDue.ts); the daily erasure job deletes on its first run after it. */
  dueOn: string;
  /** The grace period is over: the next daily run deletes, unless held. */
  due: boolean;
  hold: { reason: string; heldBy: string; heldOn: string } | null;
}

interface Row {
  kind: "pair" | "group";
  staff_userid: string | null;
  room_id: string | null;
  external_userid: string;
  changed_at: Date;
  stored: number;
  reason: string | null;
  held_by: string | null;
  held_at: Date | null;
}

/**
 * The pairs (teacher and parent) and group members whose parent withdrew
 * archive consent and whose stored messages are still there or held: what
 * HR may hold back from erasure (PIPL 47). Exactly the scope the hold routes
 * authorize: HR changing the teacher (for a group, every staff member whose
 * words are archived in it). Erased ones drop out (their log has counts only).
 */
export async function withdrawnConsents(manager: EntityManager, actor: Actor, now: Date, graceDays: number): Promise<WithdrawnConsent[]> {
  const writable = scopeSql(scope(actor, "update", "staff"), 1);
  const rows: Row[] = await manager.query(
    `SELECT 'pair' AS kind, c.staff_userid, NULL AS room_id, c.external_userid, c.changed_at,
            (SELECT count(*)::int FROM archive_message m WHERE m.staff_userid = c.staff_userid AND m.external_userid = c.external_userid AND m.room_id IS NULL) AS stored,
            h.reason, h.held_by, h.held_at
       FROM archive_consent c LEFT JOIN archive_erasure_hold h ON h.staff_userid = c.staff_userid AND h.external_userid = c.external_userid
      WHERE c.status = 'disagree' AND ${writable.staff("c.staff_userid")}
     UNION ALL
     SELECT 'group', NULL, c.room_id, c.external_userid, c.changed_at,
            (SELECT count(*)::int FROM archive_message m WHERE m.room_id = c.room_id AND m.external_userid = c.external_userid),
            h.reason, h.held_by, h.held_at
       FROM archive_room_consent c LEFT JOIN archive_room_erasure_hold h ON h.room_id = c.room_id AND h.external_userid = c.external_userid
      WHERE c.status = 'disagree'
        AND EXISTS (SELECT 1 FROM archive_message m WHERE m.room_id = c.room_id AND m.staff_userid IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM archive_message m WHERE m.room_id = c.room_id AND m.staff_userid IS NOT NULL AND NOT ${writable.staff("m.staff_userid")})
     ORDER BY changed_at, kind, external_userid
     LIMIT 1000`,
    writable.params,
  );
  const kept = rows.filter((r) => r.stored > 0 || r.reason !== null);
  const ids = kept.flatMap((r) => [r.staff_userid, r.room_id, r.held_by].filter((id): id is string => id !== null));
  const names = await displayNames(manager, ids);
  const parents = await parentLabels(manager, kept.map((r) => r.external_userid));
  return kept.map((r) => {
    const due = erasureDueAt(new Date(r.changed_at), graceDays);
    const path = r.kind === "pair" ? `/${encodeURIComponent(r.staff_userid!)}/${encodeURIComponent(r.external_userid)}` : `/groups/${encodeURIComponent(r.room_id!)}/${encodeURIComponent(r.external_userid)}`;
    return {
      kind: r.kind,
      target: path,
      teacher: r.staff_userid ? teacherTitle(names.get(r.staff_userid)) : null,
      group: r.room_id ? (names.get(r.room_id) ?? "未命名群聊") : null,
      parent: parents.get(r.external_userid)!,
      withdrawnOn: formatDateZh(fromInstant(new Date(r.changed_at))),
      storedMessages: r.stored,
      dueOn: formatDateZh(fromInstant(due)),
      due: due.getTime() <= now.getTime(),
      hold: r.reason !== null ? { reason: r.reason, heldBy: names.get(r.held_by!) ?? "人事", heldOn: formatDateZh(fromInstant(new Date(r.held_at!))) } : null,
    };
  });
}
