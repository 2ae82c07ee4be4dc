/**
 * How text becomes index tokens (pure). Input is already normalised
 * (normalizeText). Chinese has no spaces, so Han runs become overlapping
 * character bigrams (退费 → 退费; 加我微信 → 加我 我微 微信); a Han character
 * standing alone between other characters becomes a unigram; letters and
 * digits form whole-word tokens (wechat, 13800138000). Everything else
 * separates. Tokens carry a type tag so a bigram never equals a word.
 */

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]/u;

/** Longer words are cut: a token is an equality test, and 64 characters are plenty to tell words apart. */
const MAX_WORD = 64;

/** A run of Han characters or of letters/digits, with where it starts and ends (code-unit offsets). */
type Run = { kind: "han" | "word"; text: string; start: number; end: number };

function runs(text: string): Run[] {
  const out: Run[] = [];
  let current: Run | null = null;
  let at = 0;
  for (const ch of text) {
    const kind = HAN.test(ch) ? "han" : WORD.test(ch) ? "word" : null;
    if (kind === null) current = null;
    else if (current && current.kind === kind) {
      current.text += ch;
      current.end = at + ch.length;
    } else {
      current = { kind, text: ch, start: at, end: at + ch.length };
      out.push(current);
    }
    at += ch.length;
  }
  return out;
}

function hanTokens(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return [`u:${chars[0]}`];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`b:${chars[i]}${chars[i + 1]}`);
  return out;
}

const wordToken = (w: string) => `w:${[...w].slice(0, MAX_WORD).join("")}`;

/** Every distinct token of a message's normalised text. */
export function documentTokens(normalized: string): string[] {
  const set = new Set<string>();
  for (const run of runs(normalized)) {
    for (const t of run.kind === "han" ? hanTokens(run.text) : [wordToken(run.text)]) set.add(t);
  }
  return [...set];
}

/**
 * The tokens a message MUST have if it contains this normalised term as a
 * substring. A run at the edge of the term may continue in the message
 * (搜 "12题" also finds "第12题目"), so:
 *  - a Han run of two or more characters gives its bigrams wherever it sits;
 *  - a lone Han character gives its unigram only when the term encloses it
 *    between other characters, otherwise nothing (its message run may be longer);
 *  - a word gives its whole-word token: words match whole (documented), so
 *    "wechat" does not find "wechatpay".
 * An empty result means the term cannot use the index (e.g. one Chinese character).
 */
export function termTokens(normalizedTerm: string): string[] {
  const set = new Set<string>();
  for (const run of runs(normalizedTerm)) {
    if (run.kind === "word") set.add(wordToken(run.text));
    else if ([...run.text].length >= 2) hanTokens(run.text).forEach((t) => set.add(t));
    // Characters on both sides inside the term are not Han (else the run would be longer): it stands alone in the message too.
    else if (run.start > 0 && run.end < normalizedTerm.length) set.add(`u:${run.text}`);
  }
  return [...set];
}

/** A query: whitespace separates terms, all of which must occur (两个词的短语: "退费 微信"). */
export function queryTerms(normalizedQuery: string): string[] {
  return [...new Set(normalizedQuery.split(/\s+/u).filter((t) => t.length > 0))];
}
