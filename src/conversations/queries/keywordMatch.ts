/** Characters of context either side of a hit. */
const CONTEXT_CHARS = 20;

/**
 * Where a keyword occurs in a message's text, with context: null when it does
 * not. Case-insensitive (pupils' names and class codes mix Latin letters).
 */
export function keywordSnippet(text: string, keyword: string): string | null {
  const at = text.toLowerCase().indexOf(keyword.toLowerCase());
  if (at < 0) return null;
  const start = Math.max(0, at - CONTEXT_CHARS);
  const end = Math.min(text.length, at + keyword.length + CONTEXT_CHARS);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}
