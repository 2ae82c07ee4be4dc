import type { DataSource } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { readArchivedMessages, type ArchiveScope, type StoredChat } from "../archive/readArchivedMessages";
import { messageText } from "../presenters/messageText";
import { keywordSnippet } from "./keywordMatch";

export interface SearchHit {
  chat: StoredChat;
  snippet: string;
}

export interface SearchResult {
  hits: SearchHit[];
  scanned: number;
  /** True when the scan or hit bound stopped the search before the end of the range. */
  truncated: boolean;
}

export interface SearchBounds {
  maxScanned: number;
  maxHits: number;
}

const PAGE = 1000;
export const defaultSearchBounds: SearchBounds = { maxScanned: 50_000, maxHits: 200 };

/**
 * Keyword search by decrypting within one scope and time range (there is no
 * index over bodies, by design). Bounded twice: the caller bounds the range,
 * this bounds how many messages are decrypted and how many hits come back.
 * `visible` drops messages of threads the actor may not see.
 */
export async function searchMessages(
  dataSource: DataSource,
  keyRing: DataKeyRing,
  scope: Omit<ArchiveScope, "after" | "limit">,
  keyword: string,
  visible: (chat: StoredChat) => boolean = () => true,
  bounds: SearchBounds = defaultSearchBounds,
): Promise<SearchResult> {
  const hits: SearchHit[] = [];
  let scanned = 0;
  let after: ArchiveScope["after"];
  for (;;) {
    const page = await readArchivedMessages(dataSource, keyRing, { ...scope, after, limit: Math.min(PAGE, bounds.maxScanned - scanned) });
    for (const chat of page) {
      scanned++;
      if (!visible(chat)) continue;
      const snippet = keywordSnippet(messageText(chat.message.content), keyword);
      if (snippet === null) continue;
      hits.push({ chat, snippet });
      if (hits.length >= bounds.maxHits) return { hits, scanned, truncated: true };
    }
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) return { hits, scanned, truncated: false };
    if (scanned >= bounds.maxScanned) return { hits, scanned, truncated: true };
    after = { msgTime: last.msgTime, seq: last.seq };
  }
}
