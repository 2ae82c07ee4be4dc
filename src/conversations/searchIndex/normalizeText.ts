import type { ConverterFunction } from "opencc-js";

/**
 * Traditional → Simplified with OpenCC's dictionaries (opencc-js, the
 * maintained JavaScript port of Open Chinese Convert): parents in Hong Kong
 * or Taiwan type 退費, HR searches 退费. Only the Traditional→Simplified
 * bundle is loaded, and only on first use, so starting the service (or a
 * process that never indexes) does not pay for building the dictionary.
 */
let toSimplified: ConverterFunction | undefined;

function simplified(text: string): string {
  // The package's type entry points at its full bundle; its t2cn bundle has the same Converter, a tenth the size.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  toSimplified ??= (require("opencc-js/t2cn") as typeof import("opencc-js")).Converter({ from: "t", to: "cn" });
  return toSimplified(text);
}

/**
 * The one normal form both the index and the query use, so they agree:
 * NFKC folds full-width letters, digits and punctuation to half-width (and
 * other compatibility forms such as ① → 1), then lower case, then Simplified
 * Chinese. The decrypt-confirm step matches in this form too.
 */
export function normalizeText(text: string): string {
  return simplified(text.normalize("NFKC").toLowerCase());
}
