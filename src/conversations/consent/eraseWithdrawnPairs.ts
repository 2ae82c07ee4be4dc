import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { erasureDueAt } from "./erasureDue";

export interface ErasedPair {
  staffUserid: string;
  externalUserid: string;
  consentWithdrawnAt: Date;
  messagesErased: number;
  mediaErased: number;
}

/**
 * Erase the one-to-one archive of every pair whose parent withdrew consent
 * more than `graceDays` ago and that HR does not hold: messages and their
 * media, in one transaction per pair, each logged with counts only. The
 * selection repeats the rule of erasureDue.ts in SQL (the consent row is
 * re-read under lock, so a consent given again meanwhile wins). New messages
 * of a withdrawn pair are not stored in the first place (archive ingest).
 * Message ids stay in archive_msgid (no content) so a replayed page never
 * stores them again.
 */
export async function eraseWithdrawnPairs(deps: { dataSource: DataSource; clock: Clock; logger: Logger; graceDays: number }): Promise<ErasedPair[]> {
  const now = deps.clock.now();
  const withdrawnBefore = new Date(now.getTime() - deps.graceDays * 86_400_000);
  const due: Array<{ staff_userid: string; external_userid: string }> = await deps.dataSource.query(
    `SELECT c.staff_userid, c.external_userid FROM archive_consent c
      WHERE c.status = 'disagree' AND c.changed_at <= $1
        AND NOT EXISTS (SELECT 1 FROM archive_erasure_hold h WHERE h.staff_userid = c.staff_userid AND h.external_userid = c.external_userid)
        AND EXISTS (SELECT 1 FROM archive_message m WHERE m.staff_userid = c.staff_userid AND m.external_userid = c.external_userid AND m.room_id IS NULL)`,
    [withdrawnBefore],
  );
  const erased: ErasedPair[] = [];
  for (const pair of due) {
    const result = await deps.dataSource.transaction(async (tx) => {
      const [consent]: Array<{ status: string; changed_at: Date }> = await tx.query(
        `SELECT status, changed_at FROM archive_consent WHERE staff_userid = $1 AND external_userid = $2 FOR UPDATE`,
        [pair.staff_userid, pair.external_userid],
      );
      const [hold] = await tx.query(`SELECT 1 FROM archive_erasure_hold WHERE staff_userid = $1 AND external_userid = $2 FOR SHARE`, [pair.staff_userid, pair.external_userid]);
      if (!consent || consent.status !== "disagree" || hold || erasureDueAt(consent.changed_at, deps.graceDays) > now) return undefined;
      const [, media] = await tx.query(
        `DELETE FROM archive_media WHERE msgid IN (SELECT msgid FROM archive_message WHERE staff_userid = $1 AND external_userid = $2 AND room_id IS NULL)`,
        [pair.staff_userid, pair.external_userid],
      );
      const [, messages] = await tx.query(`DELETE FROM archive_message WHERE staff_userid = $1 AND external_userid = $2 AND room_id IS NULL`, [
        pair.staff_userid,
        pair.external_userid,
      ]);
      await tx.query(
        `INSERT INTO archive_erasure_log (staff_userid, external_userid, consent_withdrawn_at, erased_at, messages_erased, media_erased) VALUES ($1, $2, $3, $4, $5, $6)`,
        [pair.staff_userid, pair.external_userid, consent.changed_at, now, messages, media],
      );
      return { staffUserid: pair.staff_userid, externalUserid: pair.external_userid, consentWithdrawnAt: consent.changed_at, messagesErased: messages as number, mediaErased: media as number };
    });
    if (result) {
      erased.push(result);
      deps.logger.info({ staffUserid: result.staffUserid, messages: result.messagesErased, media: result.mediaErased }, "archive of a pair whose consent was withdrawn erased");
    }
  }
  return erased;
}
