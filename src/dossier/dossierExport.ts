import { canonicalJson } from "./canonicalJson";
import { GENESIS_HASH, verifyChain, type ChainVerification, type DossierEntry } from "./hashChain";
import { formatChinaTime } from "../calendar";

/**
 * Two exports of a case's evidence dossier: JSON for machines (a verifier can
 * recompute every hash from it alone) and printable Markdown for HR, lawyers
 * and arbitrators. Both carry the head hash, which is the number to write down
 * or send to the employee: any later rewrite of the chain changes it.
 */

export const DOSSIER_FORMAT = "resignation-dossier/v1";

export interface DossierJsonExport {
  format: typeof DOSSIER_FORMAT;
  caseId: string;
  exportedAt: string;
  hashAlgorithm: "sha256";
  canonicalization: "RFC 8785 (JCS)";
  hashInput: "prevHash ‖ canonicalJson({seq, caseId, at, kind, actor, payload})";
  genesisHash: string;
  entryCount: number;
  headSeq: number;
  headHash: string;
  verification: ChainVerification;
  entries: DossierEntry[];
}

export function exportDossierJson(caseId: string, entries: readonly DossierEntry[], exportedAt: Date): DossierJsonExport {
  const verification = verifyChain(entries);
  const head = entries.at(-1);
  return {
    format: DOSSIER_FORMAT,
    caseId,
    exportedAt: exportedAt.toISOString(),
    hashAlgorithm: "sha256",
    canonicalization: "RFC 8785 (JCS)",
    hashInput: "prevHash ‖ canonicalJson({seq, caseId, at, kind, actor, payload})",
    genesisHash: GENESIS_HASH,
    entryCount: entries.length,
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? GENESIS_HASH,
    verification,
    entries: entries.map((e) => ({ ...e })),
  };
}

const PROBLEM_LABELS: Record<Exclude<ChainVerification, { ok: true }>["problem"], string> = {
  edited: "条目被修改",
  reordered: "条目顺序被打乱",
  deleted: "条目被删除",
  inserted: "有条目被插入",
  bad_genesis: "首条前序哈希异常",
};

/** '2026-03-02 09:00:00（北京时间）' — evidence readers think in China time. */
export function formatInstantZh(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${formatChinaTime(d)}（北京时间）`;
}

export interface PrintOptions {
  exportedAt: Date;
  /** Chinese names for entry kinds, e.g. { notice_signed: '员工签署离职通知' }. Unknown kinds print as-is. */
  kindLabels?: Record<string, string>;
  title?: string;
}

export function renderDossierMarkdown(caseId: string, entries: readonly DossierEntry[], options: PrintOptions): string {
  const exported = exportDossierJson(caseId, entries, options.exportedAt);
  const v = exported.verification;
  const status = v.ok ? "完整，未发现篡改" : `异常：${PROBLEM_LABELS[v.problem]}（第 ${v.index + 1} 个位置）— ${v.detail}`;
  const lines = [
    `# ${options.title ?? "离职证据档案"}`,
    "",
    `- 案件编号：${caseId}`,
    `- 导出时间：${formatInstantZh(exported.exportedAt)}`,
    `- 条目数：${exported.entryCount}`,
    `- 链头哈希（SHA-256）：\`${exported.headHash}\``,
    `- 校验结果：${status}`,
    `- 校验方法：每条哈希 = SHA-256(前序哈希 ‖ 规范化JSON{seq, caseId, at, kind, actor, payload})，规范化规则为 RFC 8785；首条前序哈希为 64 个 0。`,
    "",
  ];
  for (const e of entries) {
    const actor = e.actor.name ? `${e.actor.name}（${e.actor.type}:${e.actor.id}）` : `${e.actor.type}:${e.actor.id}`;
    lines.push(
      `## 第 ${e.seq} 条：${options.kindLabels?.[e.kind] ?? e.kind}`,
      "",
      `- 时间：${formatInstantZh(e.at)}`,
      `- 操作人：${actor}`,
      `- 内容：\`${canonicalJson(e.payload)}\``,
      `- 前序哈希：\`${e.prevHash}\``,
      `- 本条哈希：\`${e.hash}\``,
      "",
    );
  }
  return lines.join("\n");
}
