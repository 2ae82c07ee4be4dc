import type { StoredChat } from "../archive/readArchivedMessages";
import type { ThreadKey } from "../queries/threadSummaries";
import { messageView, type MessageView } from "./messageJson";
import { formatChinaTime } from "../../calendar";
import { messageText } from "./messageText";

export interface ExportedThread {
  key: ThreadKey;
  messages: StoredChat[];
}

export interface ArchiveExport {
  subject: { staffUserid: string; externalUserid?: string };
  exportedAt: Date;
  exportedBy: string;
  from: Date;
  to: Date;
  threads: ExportedThread[];
  names: Map<string, string>;
}

/**
 * A name with its account id beside it: the document is evidence, and the id
 * is what ties a line to a WeCom account. An account whose name was never
 * synced still reads as a phrase a person understands, not as a bare id.
 */
const nameOf = (names: Map<string, string>, id: string, unknown = "未同步姓名的账号") => `${names.get(id) ?? unknown}（${id}）`;

function pairTitle(doc: ArchiveExport, staff: string, parent: string): string {
  const parentName = doc.names.get(parent);
  return `${nameOf(doc.names, staff, "未同步姓名的员工")}与${parentName === undefined ? "一位未同步姓名的家长" : `家长${parentName}`}（${parent}）`;
}

function threadTitle(doc: ArchiveExport, key: ThreadKey): string {
  return key.kind === "room" ? `群聊「${doc.names.get(key.roomId) ?? "未命名群聊"}」（${key.roomId}）` : pairTitle(doc, key.staffUserid, key.externalUserid);
}

/** Machine-readable export: every message with its full content. */
export function archiveJson(doc: ArchiveExport): unknown {
  return {
    subject: doc.subject,
    exportedAt: doc.exportedAt.toISOString(),
    exportedBy: doc.exportedBy,
    range: { from: doc.from.toISOString(), to: doc.to.toISOString() },
    threads: doc.threads.map((t) => ({
      ...t.key,
      title: threadTitle(doc, t.key),
      messages: t.messages.map((m): MessageView & { fromName: string | null } => ({ ...messageView(m), fromName: doc.names.get(m.message.from) ?? null })),
    })),
  };
}

/**
 * The document must read well as plain text too (lawyers open it in an
 * editor): one message per line, and only what could turn content into markup
 * (code, emphasis, HTML) is escaped. Ids keep their underscores.
 */
function inline(text: string): string {
  return text.replace(/\r?\n/g, " ↵ ").replace(/([\\`*<>])/g, "\\$1");
}

/**
 * Readable document (Markdown) for HR and lawyers: Chinese labels, times in
 * China time, recalled messages marked 已撤回 with their original content.
 */
export function archiveMarkdown(doc: ArchiveExport): string {
  const subject = doc.subject.externalUserid
    ? `${pairTitle(doc, doc.subject.staffUserid, doc.subject.externalUserid)}的会话`
    : `${nameOf(doc.names, doc.subject.staffUserid, "未同步姓名的员工")}的全部工作会话`;
  const lines = [
    `# 会话存档导出：${inline(subject)}`,
    "",
    `- 导出时间：${formatChinaTime(doc.exportedAt)}（北京时间）`,
    `- 导出人：${inline(nameOf(doc.names, doc.exportedBy))}`,
    `- 时间范围：${formatChinaTime(doc.from)} 至 ${formatChinaTime(doc.to)}`,
    `- 会话数：${doc.threads.length}，消息数：${doc.threads.reduce((n, t) => n + t.messages.length, 0)}`,
  ];
  for (const thread of doc.threads) {
    lines.push("", `## ${inline(threadTitle(doc, thread.key))}`, "");
    if (thread.messages.length === 0) lines.push("（该时间范围内无消息）");
    for (const chat of thread.messages) {
      const recalled = chat.recalledAt ? `【已撤回 ${formatChinaTime(chat.recalledAt)}】` : "";
      lines.push(`- ${formatChinaTime(chat.message.msgtime)} ${inline(nameOf(doc.names, chat.message.from))}：${recalled}${inline(messageText(chat.message.content))}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
