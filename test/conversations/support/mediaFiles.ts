import type { MediaChunk } from "../../../src/wecom/archive/archiveSource";

export const MEDIA_CHUNK = 512 * 1024;

/** GetMediaData over in-memory files, 512 KB per call, indexbuf = next offset. */
export class MediaFiles {
  calls: Array<{ sdkfileid: string; indexbuf: string }> = [];
  failing = new Set<string>();
  constructor(readonly files: Map<string, Buffer>) {}
  getMediaData = async (sdkfileid: string, indexbuf: string): Promise<MediaChunk> => {
    this.calls.push({ sdkfileid, indexbuf });
    if (this.failing.has(sdkfileid)) throw new Error("GetMediaData failed with 10001");
    const file = this.files.get(sdkfileid)!;
    const offset = indexbuf === "" ? 0 : Number(indexbuf);
    const end = Math.min(file.length, offset + MEDIA_CHUNK);
    return { data: file.subarray(offset, end), outIndexBuf: String(end), isFinish: end >= file.length };
  };
}
