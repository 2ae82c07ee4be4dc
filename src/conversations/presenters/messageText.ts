import type { MessageContent } from "../../wecom";

const mediaLabels = { image: "图片", voice: "语音", video: "视频", file: "文件", emotion: "表情" } as const;

/**
 * One line of readable Chinese for any message content: what a person sees in
 * an export and what keyword search matches against.
 */
export function messageText(c: MessageContent): string {
  switch (c.msgtype) {
    case "text":
      return c.content;
    case "image":
    case "voice":
    case "video":
    case "emotion":
      return `[${mediaLabels[c.msgtype]}]`;
    case "file":
      return `[文件] ${c.media.filename ?? ""}`.trimEnd();
    case "link":
      return `[链接] ${c.title} ${c.description} ${c.url}`.trimEnd();
    case "card":
      return `[名片] ${c.corpname} ${c.userid}`.trimEnd();
    case "redpacket":
    case "external_redpacket":
      return `[红包] ${c.wish}（共 ${c.totalCount} 个，${(c.totalAmount / 100).toFixed(2)} 元）`;
    case "docmsg":
      return `[在线文档] ${c.title} ${c.url}`.trimEnd();
    case "markdown":
      return c.content;
    case "news":
      return `[图文] ${c.items.map((i) => `${i.title} ${i.description} ${i.url}`.trim()).join(" ")}`.trimEnd();
    case "agree":
      return "[同意会话存档]";
    case "disagree":
      return "[不同意会话存档]";
    case "revoke":
      return "[撤回了一条消息]";
    case "mixed":
      return c.items.map(messageText).join(" ");
    case "unknown":
      return `[${c.originalType}]`;
  }
}


