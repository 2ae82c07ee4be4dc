import { normalizeText } from "./normalizeText";
import { queryTerms, termTokens } from "./tokenize";

export interface ParsedQuery {
  /** Normalised terms; a hit contains every one of them. */
  terms: string[];
  /** Tokens every hit must have in its index entry (before keying). */
  tokens: string[];
}

export class UnsearchableQueryError extends Error {
  constructor() {
    super("关键词太短：请至少输入两个连续的汉字，或一个完整的英文单词、数字");
    this.name = "UnsearchableQueryError";
  }
}

/** Split a query exactly as messages are split at ingest. Throws when no term can use the index. */
export function parseQuery(query: string): ParsedQuery {
  const terms = queryTerms(normalizeText(query));
  const tokens = [...new Set(terms.flatMap(termTokens))];
  if (tokens.length === 0) throw new UnsearchableQueryError();
  return { terms, tokens };
}

/** Decrypt-confirm: the message's normalised text holds every term. */
export function confirms(normalizedText: string, terms: string[]): boolean {
  return terms.every((t) => normalizedText.includes(t));
}
