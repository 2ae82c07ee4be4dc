import { formatChinaTime } from "../../calendar";

/** What one file of an archived message is called when downloaded: a file keeps its own name, the rest say what they are and when. */
export function mediaFileName(input: { msgtype: string; filename: string | null; sentAt: Date; part: number; parts: number }): string {
  if (input.filename) return input.filename;
  // Tencent's 获取会话内容 (developer.work.weixin.qq.com path/91774): "图片是jpg格式、语音是amr格式、视频是mp4格式、
  // 文件格式类型包括在消息体内" — a file's name (filename, with fileext) comes in the message itself.
  const kinds: Record<string, [string, string]> = { image: ["图片", "jpg"], voice: ["语音", "amr"], video: ["视频", "mp4"] };
  const [label, ext] = kinds[input.msgtype] ?? ["附件", "bin"];
  const when = formatChinaTime(input.sentAt).replace(/[-: ]/g, "").slice(0, 12);
  return `${label}-${when}${input.parts > 1 ? `-${input.part}` : ""}.${ext}`;
}

const CONTENT_TYPES: Record<string, string> = { jpg: "image/jpeg", amr: "audio/amr", mp4: "video/mp4", pdf: "application/pdf" };

export function mediaContentType(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

/** RFC 6266 / 5987: an ASCII fallback and the real (Chinese) name percent-encoded, so every browser saves it by its name. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
