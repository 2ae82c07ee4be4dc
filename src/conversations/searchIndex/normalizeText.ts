import { Converter } from "opencc-js";

/**
 * Traditional → Simplified with OpenCC's dictionaries (opencc-js, the
 * maintained JavaScript port of Open Chinese Convert): parents in Hong Kong
 * or Taiwan type 退費, HR searches 退费. Built once; converting a message costs
 * a few microseconds.
 */
const toSimplified = Converter({ from: "t", to: "cn" });

/**
 * The one normal form both the index and the query use, so they agree:
 * NFKC folds full-width letters, digits and punctuation to half-width (and
 * other compatibility forms such as ① → 1), then lower case, then Simplified
 * Chinese. The decrypt-confirm step matches in this form too.
 */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize("NFKC").toLowerCase());
}
