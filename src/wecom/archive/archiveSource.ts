/** One encrypted record as GetChatData returns it. */
export interface ChatDataRecord {
  seq: number;
  msgid: string;
  publickey_ver: number;
  encrypt_random_key: string;
  encrypt_chat_msg: string;
}

export interface ChatDataPage {
  chatdata: ChatDataRecord[];
}

export interface MediaChunk {
  data: Buffer;
  /** Pass back as indexbuf to get the next chunk. */
  outIndexBuf: string;
  isFinish: boolean;
}

/**
 * Port to WeCom's chat archive. WeCom has no HTTP API for archived messages:
 * production goes through Tencent's native Finance SDK (FinanceSdkSource),
 * development through the sandbox feed (SandboxFeedSource). Both decrypt the
 * same way from the caller's point of view: the RSA-decrypted random key plus
 * encrypt_chat_msg give the message JSON.
 */
export interface ArchiveSource {
  /** Records with seq > `seq`, oldest first, at most `limit` (1..1000). */
  getChatData(seq: number, limit: number, timeoutSec: number): Promise<ChatDataPage>;
  /** Local and synchronous (the SDK's DecryptData takes no sdk handle and makes no network call). */
  decryptData(randomKey: string, encryptChatMsg: string): string;
  getMediaData(sdkfileid: string, indexbuf: string, timeoutSec?: number): Promise<MediaChunk>;
  close(): Promise<void>;
}

/** GetChatData must not be asked for more than this per call. */
export const MAX_CHAT_DATA_LIMIT = 1000;
