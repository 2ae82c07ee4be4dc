import type { DataSource } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { PayloadTooLargeError } from "../../platform/errors";
import { readArchivedMessages, type ArchiveScope, type StoredChat } from "../archive/readArchivedMessages";
import type { ThreadKey } from "../queries/threadSummaries";
import type { ExportedThread } from "../presenters/archiveDocument";

/** One export holds at most this many messages; beyond it the caller narrows the time range. */
export const MAX_EXPORT_MESSAGES = 100_000;
const PAGE = 1000;

/** All messages of one thread in the range, oldest first, in pages. */
export async function threadMessages(
  dataSource: DataSource,
  keyRing: DataKeyRing,
  key: ThreadKey,
  range: { from: Date; to: Date },
  budget: number,
): Promise<StoredChat[]> {
  const scope: ArchiveScope = key.kind === "room" ? { roomId: key.roomId, ...range } : { staffUserid: key.staffUserid, externalUserid: key.externalUserid, ...range };
  const out: StoredChat[] = [];
  for (;;) {
    const page = await readArchivedMessages(dataSource, keyRing, { ...scope, limit: PAGE, after: out.length > 0 ? { msgTime: out[out.length - 1]!.msgTime, seq: out[out.length - 1]!.seq } : undefined });
    out.push(...page);
    if (out.length > budget) throw new PayloadTooLargeError(`导出内容超过 ${MAX_EXPORT_MESSAGES} 条消息，请缩小时间范围`);
    if (page.length < PAGE) return out;
  }
}

/** The threads' messages for an export, within one overall message bound. */
export async function exportThreads(
  dataSource: DataSource,
  keyRing: DataKeyRing,
  keys: ThreadKey[],
  range: { from: Date; to: Date },
): Promise<ExportedThread[]> {
  const threads: ExportedThread[] = [];
  let used = 0;
  for (const key of keys) {
    const messages = await threadMessages(dataSource, keyRing, key, range, MAX_EXPORT_MESSAGES - used);
    used += messages.length;
    threads.push({ key, messages });
  }
  return threads;
}
