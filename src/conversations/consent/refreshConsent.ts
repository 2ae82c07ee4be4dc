import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import type { MsgAuditApi, RoomAgreeInfo, SingleAgreeInfo } from "../../wecom";
import { recordRoomConsent, recordSingleConsent, type RoomConsent, type SingleConsent } from "../archive/archiveConsent";

export interface ConsentRefreshDeps {
  dataSource: DataSource;
  msgAudit: Pick<MsgAuditApi, "checkSingleAgree" | "checkRoomAgree">;
  clock: Clock;
  logger: Logger;
}

export interface ConsentRefreshOptions {
  /** Pairs per check_single_agree call. */
  batchSize?: number;
  /** Pairs checked per run; the rest wait for the next day. */
  maxPairs?: number;
  maxRooms?: number;
}

export interface ConsentRefreshReport {
  pairsChecked: number;
  pairsAgreed: number;
  roomsChecked: number;
  failedBatches: number;
}

/**
 * WeCom's "never decided" carries status_change_time 0. Recording it at the
 * epoch means any real decision, however late its event arrives, is newer.
 */
const decidedAt = (seconds: number) => new Date(Math.max(0, seconds) * 1000);
const statusOf = (s: string) => (s === "Agree" ? ("agree" as const) : ("disagree" as const));

/**
 * Daily: ask WeCom about consent we do not know or that was refused (a
 * msg_audit_approved event may have been lost), for parents staff actually
 * follow, in batches; and refresh the per-member consent of known group
 * chats. A failing batch is logged and skipped: the next run asks again.
 */
export async function refreshConsent(deps: ConsentRefreshDeps, options: ConsentRefreshOptions = {}): Promise<ConsentRefreshReport> {
  const { batchSize = 100, maxPairs = 10_000, maxRooms = 2_000 } = options;
  const report: ConsentRefreshReport = { pairsChecked: 0, pairsAgreed: 0, roomsChecked: 0, failedBatches: 0 };

  const pairs: { userid: string; exteranalopenid: string }[] = await deps.dataSource.query(
    `SELECT f.staff_userid AS userid, f.external_userid AS exteranalopenid
       FROM follow_relation f
       LEFT JOIN archive_consent c ON c.staff_userid = f.staff_userid AND c.external_userid = f.external_userid
      WHERE f.status = 'active' AND (c.status IS NULL OR c.status = 'disagree')
      ORDER BY c.recorded_at NULLS FIRST, f.staff_userid, f.external_userid
      LIMIT $1`,
    [maxPairs],
  );
  for (let i = 0; i < pairs.length; i += batchSize) {
    const batch = pairs.slice(i, i + batchSize);
    let answers: SingleAgreeInfo[];
    try {
      answers = await deps.msgAudit.checkSingleAgree(batch);
    } catch (err) {
      report.failedBatches++;
      deps.logger.warn({ err, pairs: batch.length }, "check_single_agree failed; these pairs are retried on the next run");
      continue;
    }
    const asked = new Set(batch.map((p) => `${p.userid}\u0000${p.exteranalopenid}`));
    // Only answers to what was asked count: a hostile or confused reply cannot grant consent for other pairs.
    const changes: SingleConsent[] = answers
      .filter((a) => asked.has(`${a.userid}\u0000${a.exteranalopenid}`))
      .map((a) => ({ staffUserid: a.userid, externalUserid: a.exteranalopenid, status: statusOf(a.agree_status), changedAt: decidedAt(a.status_change_time), source: "check_single_agree" }));
    await recordSingleConsent(deps.dataSource, changes, deps.clock.now());
    report.pairsChecked += batch.length;
    report.pairsAgreed += changes.filter((c) => c.status === "agree").length;
  }

  // Groups we know of: those with recorded member consent or archived messages.
  const rooms: { room_id: string }[] = await deps.dataSource.query(
    `SELECT room_id FROM archive_room_consent UNION SELECT DISTINCT room_id FROM archive_message WHERE room_id IS NOT NULL ORDER BY 1 LIMIT $1`,
    [maxRooms],
  );
  for (const { room_id: roomId } of rooms) {
    let answers: RoomAgreeInfo[];
    try {
      answers = await deps.msgAudit.checkRoomAgree(roomId);
    } catch (err) {
      report.failedBatches++;
      deps.logger.warn({ err, roomId }, "check_room_agree failed; retried on the next run");
      continue;
    }
    const changes: RoomConsent[] = answers
      .filter((a) => a.exteranalopenid !== "")
      .map((a) => ({ roomId, externalUserid: a.exteranalopenid, status: statusOf(a.agree_status), changedAt: decidedAt(a.status_change_time), source: "check_room_agree" }));
    await recordRoomConsent(deps.dataSource, changes, deps.clock.now());
    report.roomsChecked++;
  }
  return report;
}
