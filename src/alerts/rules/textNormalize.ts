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
 * otherwise dominate the similarity. Only a leading greeting addressed to a
 * family member or the group is removed, so "请您好好准备" is left alone.
 */
const SALUTATION =
  /^(?:\p{L}{0,4}(?:妈妈|爸爸|妈|爸|家长|奶奶|爷爷|外婆|外公|姥姥|姥爷|阿姨|叔叔|大家|各位))?(?:您好|你好|早上好|下午好|晚上好)/u;

export function stripSalutation(normalized: string): string {
  return normalized.replace(SALUTATION, "");
}
