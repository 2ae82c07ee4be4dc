import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { erasureDueAt } from "./erasureDue";

export interface ErasedGroupMember {
  roomId: string;
  externalUserid: string;
  consentWithdrawnAt: Date;
  messagesErased: number;
  mediaErased: number;
}

/**
 * The group-chat side of PIPL 15/47: a parent whose consent for a group
 * (check_room_agree, per room and member) was withdrawn more than
 * `graceDays` ago, and whom HR does not hold, has the messages they sent in
 * that group erased with their media — one transaction per (group, parent),
 * logged with counts only. Other members' messages stay: they are not this
 * parent's personal information to withdraw. New group messages involving a
 * parent who has not agreed are not stored in the first place (consentAllows
 * in archive/conversationScope.ts). Message ids stay in archive_msgid (no
 * content) so a replayed page never stores them again. Same rule as
 * erasureDue.ts, re-checked under lock so a consent given again wins.
 */
export async function eraseWithdrawnGroupMembers(deps: { dataSource: DataSource; clock: Clock; logger: Logger; graceDays: number }): Promise<ErasedGroupMember[]> {
  const now = deps.clock.now();
  const withdrawnBefore = new Date(now.getTime() - deps.graceDays * 86_400_000);
  const due: Array<{ room_id: string; external_userid: string }> = await deps.dataSource.query(
    `SELECT c.room_id, c.external_userid FROM archive_room_consent c
      WHERE c.status = 'disagree' AND c.changed_at <= $1
        AND NOT EXISTS (SELECT 1 FROM archive_room_erasure_hold h WHERE h.room_id = c.room_id AND h.external_userid = c.external_userid)
        AND EXISTS (SELECT 1 FROM archive_message m WHERE m.room_id = c.room_id AND m.external_userid = c.external_userid)`,
    [withdrawnBefore],
  );
  const erased: ErasedGroupMember[] = [];
  for (const member of due) {
    const result = await deps.dataSource.transaction(async (tx) => {
      const [consent]: Array<{ status: string; changed_at: Date }> = await tx.query(
        `SELECT status, changed_at FROM archive_room_consent WHERE room_id = $1 AND external_userid = $2 FOR UPDATE`,
        [member.room_id, member.external_userid],
      );
      const [hold] = await tx.query(`SELECT 1 FROM archive_room_erasure_hold WHERE room_id = $1 AND external_userid = $2 FOR SHARE`, [member.room_id, member.external_userid]);
      if (!consent || consent.status !== "disagree" || hold || erasureDueAt(consent.changed_at, deps.graceDays) > now) return undefined;
      const [, media] = await tx.query(
        `DELETE FROM archive_media WHERE msgid IN (SELECT msgid FROM archive_message WHERE room_id = $1 AND external_userid = $2)`,
        [member.room_id, member.external_userid],
      );
      const [, messages] = await tx.query(`DELETE FROM archive_message WHERE room_id = $1 AND external_userid = $2`, [member.room_id, member.external_userid]);
      await tx.query(
        `INSERT INTO archive_erasure_log (room_id, external_userid, consent_withdrawn_at, erased_at, messages_erased, media_erased) VALUES ($1, $2, $3, $4, $5, $6)`,
        [member.room_id, member.external_userid, consent.changed_at, now, messages, media],
      );
      return { roomId: member.room_id, externalUserid: member.external_userid, consentWithdrawnAt: consent.changed_at, messagesErased: messages as number, mediaErased: media as number };
    });
    if (result) {
      erased.push(result);
      deps.logger.info({ roomId: result.roomId, messages: result.messagesErased, media: result.mediaErased }, "a parent's group messages erased after consent was withdrawn");
    }
  }
  return erased;
}
