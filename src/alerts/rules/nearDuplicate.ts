import { normalizeForMatching, stripSalutation } from "./textNormalize";

/**
 * Near-duplicate detection by character-bigram Jaccard similarity.
 *
 * Chosen over simhash because teacher messages are short (10–200 characters):
 * a 64-bit simhash of a short text flips many bits when a 3-character name is
 * inserted, so its Hamming threshold is unstable, while bigram Jaccard degrades
 * gracefully, is exact, and its score can be shown to HR. The cost is
 * O(length) per comparison and comparisons are bounded by the per-staff window.
 */
export type Shingles = string[];

export function shingle(text: string): Shingles {
  return bigrams([...stripSalutation(normalizeForMatching(text))]);
}

/**
 * The text's shingles when it has at least `minLength` characters of content
 * once greeting, spacing and punctuation are gone, else null (too short to
 * compare): one normalization for both, where the detector used to
 * normalize every message twice.
 */
export function comparableShingles(text: string, minLength: number): Shingles | null {
  const chars = [...stripSalutation(normalizeForMatching(text))];
  return chars.length >= minLength ? bigrams(chars) : null;
}

function bigrams(chars: string[]): Shingles {
  if (chars.length < 2) return chars;
  const set = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) set.add(chars[i]! + chars[i + 1]!);
  return [...set].sort();
}

/** Both inputs are sorted (as `shingle` returns them), so one merge pass counts the overlap. */
export function jaccard(a: Shingles, b: Shingles): number {
  if (a.length === 0 && b.length === 0) return 1;
  const shared = sharedShingles(a, b, () => true);
  return shared / (a.length + b.length - shared);
}

/**
 * Whether jaccard(a, b) ≥ threshold, with exactly its answer, but the merge
 * pass stops as soon as the overlap still possible cannot reach the
 * threshold. The duplicate rule compares each message with every one in the
 * teacher's window, and nearly all pairs are unrelated texts: issue 20's
 * alert-latency bench spent most of the rules' time in full merges whose
 * result was far below the threshold. x / (total − x) grows with x, so the
 * bound computed the same way never rejects a pair jaccard would accept.
 */
export function similarAtLeast(a: Shingles, b: Shingles, threshold: number): boolean {
  if (a.length === 0 && b.length === 0) return 1 >= threshold;
  const total = a.length + b.length;
  const reachable = (best: number) => best / (total - best) >= threshold;
  const shared = sharedShingles(a, b, reachable);
  return shared >= 0 && reachable(shared);
}

/**
 * How many shingles two sorted lists share, by one merge pass; -1 as soon as
 * `possible(most they could still share)` is false.
 */
function sharedShingles(a: Shingles, b: Shingles, possible: (most: number) => boolean): number {
  if (!possible(Math.min(a.length, b.length))) return -1;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
      continue;
    }
    if (a[i]! < b[j]!) i++;
    else j++;
    if (!possible(shared + Math.min(a.length - i, b.length - j))) return -1;
  }
  return shared;
}
