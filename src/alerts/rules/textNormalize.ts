/**
 * Canonical form for matching: NFKC folds full-width letters and digits
 * ("ＶＸ１３８") to ASCII, then everything that is not a letter or digit
 * (spaces, punctuation, emoji, zero-width joiners) is dropped, so "加 我 微 信！"
 * and "加我微信" compare equal. Evasion by spacing is the cheapest trick there is.
 */
export function normalizeForMatching(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * Per-parent greetings ("王妈妈您好", "李爸爸你好") are the one part of a mass
 * message that legitimately differs between copies; on short texts they would
 * otherwise dominate the similarity. Only a greeting within the first 8
 * characters is removed so "您好" mid-sentence is kept.
 */
export function stripSalutation(normalized: string): string {
  return normalized.replace(/^\p{L}{0,6}?(您好|你好|早上好|晚上好)/u, "");
}
