import type { DataSource } from "typeorm";
import { readArchivedMessages } from "../../conversations";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { toObservation } from "../detection/toObservation";
import { contextWindow } from "../rules/contextWindow";
import type { MessageObservation } from "../rules/observation";

const AROUND_MS = 24 * 3_600_000;

export interface ContextMessage {
  msgid: string;
  at: string;
  direction: "outbound" | "inbound";
  msgtype: string;
  text: string | null;
}

export interface PresentedContext {
  before: ContextMessage[];
  hit: ContextMessage;
  after: ContextMessage[];
}

const present = (o: MessageObservation): ContextMessage => ({
  msgid: o.msgid,
  at: o.at.toISOString(),
  direction: o.direction,
  msgtype: o.msgtype,
  text: o.text ?? null,
});

/**
 * The conversation around each of the first hits (its own chat: the same
 * parent or the same group), decrypted on read from the archive like every
 * other archive read, so HR judges a hit without opening the archive.
 */
export async function loadAlertContext(dataSource: DataSource, keyRing: DataKeyRing, hitMsgids: string[], maxHits = 3): Promise<PresentedContext[]> {
  const out: PresentedContext[] = [];
  for (const msgid of hitMsgids.slice(0, maxHits)) {
    const [row] = await dataSource.query(
      `SELECT m.msg_time, m.staff_userid, m.external_userid, m.room_id FROM archive_msgid i JOIN archive_message m ON m.msgid = i.msgid AND m.msg_time = i.msg_time WHERE i.msgid = $1`,
      [msgid],
    );
    if (!row) continue;
    const at = (row.msg_time as Date).getTime();
    const stored = await readArchivedMessages(dataSource, keyRing, {
      ...(row.room_id ? { roomId: row.room_id } : { staffUserid: row.staff_userid, externalUserid: row.external_userid }),
      from: new Date(at - AROUND_MS),
      to: new Date(at + AROUND_MS),
      limit: 2000,
    });
    const observations = stored
      .map((s) => toObservation({ seq: s.seq, message: s.message, staffUserid: s.staffUserid, externalUserid: s.externalUserid, roomId: s.roomId }))
      .filter((o): o is MessageObservation => o !== undefined);
    const ctx = contextWindow(observations, msgid);
    if (ctx) out.push({ before: ctx.before.map(present), hit: present(ctx.hit), after: ctx.after.map(present) });
  }
  return out;
}
