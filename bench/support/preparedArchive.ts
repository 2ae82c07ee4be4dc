import type { ArchiveSource, ChatDataPage, ChatDataRecord, MediaChunk } from "../../src/wecom/archive/archiveSource";
import { sandboxDecryptChatMsg } from "../../src/wecom/archive/sandboxChatCipher";

/** An archive already in memory: ingest benches measure ingest, not the SDK's network. */
export class PreparedArchive implements ArchiveSource {
  constructor(private readonly records: ChatDataRecord[]) {}

  async getChatData(seq: number, limit: number): Promise<ChatDataPage> {
    // records[i].seq === i + 1
    return { chatdata: this.records.slice(seq, seq + limit) };
  }

  decryptData(key: string, msg: string): string {
    return sandboxDecryptChatMsg(key, msg);
  }

  async getMediaData(): Promise<MediaChunk> {
    throw new Error("no media in the bench");
  }

  async close(): Promise<void> {}
}
