import { ValidationError } from "../platform/errors";
import { canonicalJson, sha256Hex, type JsonValue } from "./canonicalJson";

/**
 * The evidence dossier of a resignation case is append-only and hash-chained:
 *
 *   hash(n) = sha256( prevHash(n) ‖ canonicalJson({seq, caseId, at, kind, actor, payload}) )
 *
 * with prevHash(1) = 64 zeros. Editing, dropping, reordering or slipping in an
 * entry breaks either a hash, a link or the seq run, and verifyChain says which
 * and where. A chain rewritten from the tampered entry onwards is internally
 * consistent; that is caught by comparing against an anchor (a head hash handed
 * out earlier, e.g. in an export or a notification), which verifyChain accepts.
 */

export const GENESIS_HASH = "0".repeat(64);

export interface DossierActor {
  /** 'employee' | 'hr' | 'approver' | 'system' … free-form but stable. */
  type: string;
  id: string;
  name?: string;
}

export interface DossierEntryContent {
  seq: number;
  caseId: string;
  /** ISO 8601 instant in UTC, e.g. 2026-03-02T01:00:00.000Z (server time, not the client's). */
  at: string;
  kind: string;
  actor: DossierActor;
  payload: JsonValue;
}

export interface DossierEntry extends DossierEntryContent {
  prevHash: string;
  hash: string;
}

export interface NewDossierEntry {
  caseId: string;
  at: Date;
  kind: string;
  actor: DossierActor;
  payload: JsonValue;
}

export type ChainProblem = "edited" | "reordered" | "deleted" | "inserted" | "bad_genesis";

export type ChainVerification =
  | { ok: true; length: number; headHash: string }
  | { ok: false; index: number; problem: ChainProblem; detail: string };

/** A (seq, hash) pair published earlier; the chain must still contain it. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function entryHash(prevHash: string, content: DossierEntryContent): string {
  const { seq, caseId, at, kind, actor, payload } = content;
  return sha256Hex(prevHash + canonicalJson({ seq, caseId, at, kind, actor, payload }));
}

/** Builds the entry that follows `head` (null for the first entry of a case). */
export function appendEntry(head: DossierEntry | null, input: NewDossierEntry): DossierEntry {
  if (!input.caseId) throw new ValidationError("证据条目缺少案件编号");
  if (!input.kind) throw new ValidationError("证据条目缺少类型");
  if (!input.actor?.type || !input.actor?.id) throw new ValidationError("证据条目缺少操作人");
  if (Number.isNaN(input.at.getTime())) throw new ValidationError("证据条目时间无效");
  if (head && head.caseId !== input.caseId) throw new ValidationError("证据条目与证据链不属于同一案件");
  const content: DossierEntryContent = {
    seq: head ? head.seq + 1 : 1,
    caseId: input.caseId,
    at: input.at.toISOString(),
    kind: input.kind,
    actor: input.actor,
    payload: input.payload,
  };
  // Hashing here makes a payload without a JSON form fail at append time, not at audit time.
  const prevHash = head ? head.hash : GENESIS_HASH;
  return { ...content, prevHash, hash: entryHash(prevHash, content) };
}

export function verifyChain(entries: readonly DossierEntry[], anchors: readonly ChainAnchor[] = []): ChainVerification {
  const order = checkOrder(entries);
  if (order) return order;

  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (i === 0) {
      if (e.seq !== 1) return fail(0, "deleted", `第一条的序号是 ${e.seq}，之前的条目缺失`);
      if (e.prevHash !== GENESIS_HASH) return fail(0, "bad_genesis", "第一条的前序哈希不是创世值");
    } else {
      const prev = entries[i - 1];
      if (e.seq !== prev.seq + 1) return fail(i, "deleted", `序号从 ${prev.seq} 跳到 ${e.seq}`);
      if (e.caseId !== prev.caseId) return fail(i, "inserted", "条目属于另一个案件");
    }
    if (!HEX64.test(String(e.hash)) || recompute(e) !== e.hash) {
      return fail(i, "edited", `第 ${e.seq} 条的内容与其哈希不符`);
    }
    if (i > 0 && e.prevHash !== entries[i - 1].hash) {
      // Both entries hash correctly, so entry i still names the original predecessor:
      // the entry before it is a self-consistent replacement.
      return fail(i - 1, "edited", `第 ${e.seq} 条记录的前序哈希与第 ${entries[i - 1].seq} 条不符`);
    }
  }

  for (const anchor of anchors) {
    const index = entries.findIndex((e) => e.seq === anchor.seq);
    if (index < 0) return fail(entries.length, "deleted", `已公布的第 ${anchor.seq} 条不在证据链中`);
    if (entries[index].hash !== anchor.hash) {
      return fail(index, "edited", `第 ${anchor.seq} 条的哈希与此前公布的不符`);
    }
  }

  return { ok: true, length: entries.length, headHash: entries.at(-1)?.hash ?? GENESIS_HASH };
}

function recompute(e: DossierEntry): string | null {
  try {
    return entryHash(e.prevHash, e);
  } catch {
    return null;
  }
}

/** Duplicates mean something was slipped in; a seq run out of order means entries were moved. */
function checkOrder(entries: readonly DossierEntry[]): ChainVerification | null {
  const seen = new Set<number>();
  for (let i = 0; i < entries.length; i++) {
    const seq = entries[i].seq;
    if (!Number.isInteger(seq)) return fail(i, "edited", "序号不是整数");
    if (seen.has(seq)) return fail(i, "inserted", `序号 ${seq} 出现了两次`);
    seen.add(seq);
  }
  const sorted = entries.map((e) => e.seq).sort((a, b) => a - b);
  const moved = entries.findIndex((e, i) => e.seq !== sorted[i]);
  return moved < 0 ? null : fail(moved, "reordered", `第 ${moved + 1} 个位置上的条目序号为 ${entries[moved].seq}，顺序被打乱`);
}

function fail(index: number, problem: ChainProblem, detail: string): ChainVerification {
  return { ok: false, index, problem, detail };
}
