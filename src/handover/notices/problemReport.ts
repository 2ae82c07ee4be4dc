import { parentPhrase } from "../../parents";

/** One parent or group that did not reach its successor and needs a person. */
export interface TransferProblem {
  kind: "parent" | "group";
  id: string;
  /** Parent's or group's display name when we know it. */
  name: string | null;
  successorUserid: string;
  successorName: string | null;
  reason: string;
  errcode: number | null;
}

const MAX_MARKDOWN_BYTES = 2048;

/** The HR message: who, how many, and as many rows as fit WeCom's 2,048-byte markdown limit. */
export function problemReportText(leaver: { userid: string; name: string }, problems: TransferProblem[]): string {
  const head = `### 离职交接：${problems.length} 项转接未完成\n> 员工：${leaver.name}\n请人工跟进以下家长/群聊：\n`;
  // People read names only: a parent or group without a synced name is described, never shown by id.
  const lines = problems.map(
    (p) =>
      `- ${p.kind === "parent" ? parentPhrase(p.name ?? undefined) : `群聊「${p.name ?? "未命名群聊"}」`} → ${p.successorName ?? "（未同步姓名的老师）"}：${p.reason}`,
  );
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const rest = `\n…另有 ${lines.length - i} 项，请在管理后台「交接方案」查看完整名单`;
    if (bytes(text + lines[i] + "\n") + bytes(rest) > MAX_MARKDOWN_BYTES) return text + rest;
    text += lines[i] + "\n";
  }
  return text;
}
