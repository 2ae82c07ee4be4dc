import { mpPagePath } from "../../../miniprogram/pagePaths";
import type { OutboxMessage } from "../outbox/outboxMessage";

/**
 * A message that opens the mini-program's resignation page; without an
 * associated mini-program it degrades to text carrying the same facts.
 * WeCom limits: title 4–12 chars, item key ≤10, value ≤30.
 */
export function openMiniProgramMessage(
  userid: string,
  appId: string | undefined,
  notice: { title: string; description?: string; items: { key: string; value: string }[]; textFallback: string },
  /** A page of the mini-program, built from its shared page table (never a free string). */
  page: ReturnType<typeof mpPagePath>,
): OutboxMessage {
  if (!appId) return { type: "text", touser: [userid], content: notice.textFallback };
  return {
    type: "miniprogram_notice",
    touser: [userid],
    notice: {
      appid: appId,
      page,
      title: notice.title,
      description: notice.description,
      emphasis_first_item: true,
      content_item: notice.items.map((i) => ({ key: i.key.slice(0, 10), value: i.value.slice(0, 30) })),
    },
  };
}
