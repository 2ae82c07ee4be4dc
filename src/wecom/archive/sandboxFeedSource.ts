import type { ArchiveSource, ChatDataPage, MediaChunk } from "./archiveSource";
import { MAX_CHAT_DATA_LIMIT } from "./archiveSource";
import { FinanceSdkError } from "./financeSdkError";
import { parseChatDataReply } from "./chatDataReply";
import { sandboxDecryptChatMsg } from "./sandboxChatCipher";

export interface SandboxFeedOptions {
  /** WECOM_API_BASE pointing at the sandbox. */
  apiBase: string;
  secret: string;
}

/**
 * Development adapter: the built-in sandbox serves the archive over HTTP
 * (POST /sandbox/finance/chatdata and /sandbox/finance/media) in the same
 * shape as the SDK's replies, so everything after the port is exercised
 * without Tencent's native library.
 */
export class SandboxFeedSource implements ArchiveSource {
  constructor(private readonly options: SandboxFeedOptions) {}

  async getChatData(seq: number, limit: number, timeoutSec: number): Promise<ChatDataPage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHAT_DATA_LIMIT) {
      throw new FinanceSdkError(10000, "GetChatData", `limit must be 1..${MAX_CHAT_DATA_LIMIT}`);
    }
    const text = await this.post("chatdata", { seq, limit, secret: this.options.secret }, timeoutSec, "GetChatData");
    return parseChatDataReply(text, "GetChatData");
  }

  decryptData(randomKey: string, encryptChatMsg: string): string {
    return sandboxDecryptChatMsg(randomKey, encryptChatMsg);
  }

  async getMediaData(sdkfileid: string, indexbuf: string, timeoutSec = 10): Promise<MediaChunk> {
    const text = await this.post("media", { sdkfileid, indexbuf }, timeoutSec, "GetMediaData");
    let reply: { errcode?: number; errmsg?: string; data?: unknown; outindexbuf?: unknown; is_finish?: unknown };
    try {
      reply = JSON.parse(text) as typeof reply;
    } catch {
      throw new FinanceSdkError(10002, "GetMediaData", "reply is not JSON");
    }
    if (typeof reply.errcode === "number" && reply.errcode !== 0) throw new FinanceSdkError(reply.errcode, "GetMediaData", reply.errmsg);
    if (typeof reply.data !== "string") throw new FinanceSdkError(10002, "GetMediaData", "reply has no data");
    return {
      data: Buffer.from(reply.data, "base64"),
      outIndexBuf: typeof reply.outindexbuf === "string" ? reply.outindexbuf : "",
      isFinish: reply.is_finish === true || reply.is_finish === 1,
    };
  }

  async close(): Promise<void> {}

  private async post(path: string, body: unknown, timeoutSec: number, operation: string): Promise<string> {
    const url = `${this.options.apiBase.replace(/\/$/, "")}/sandbox/finance/${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutSec * 1000),
      });
    } catch (err) {
      throw new FinanceSdkError(10001, operation, err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) throw new FinanceSdkError(10001, operation, `HTTP ${res.status}`);
    return res.text();
  }
}
