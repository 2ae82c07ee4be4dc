/**
 * Keeps items newer than `windowMs` before `nowMs` (the window's right edge).
 * The same array when nothing is dropped: the detector runs this for every
 * message over the teacher's whole window, and most messages drop nothing.
 */
export function pruneWindow<T extends { atMs: number }>(items: T[], nowMs: number, windowMs: number): T[] {
  return within(items, nowMs - windowMs, Infinity);
}

/** The items with after < atMs ≤ upTo; the same array when that is all of them. */
export function within<T extends { atMs: number }>(items: T[], after: number, upTo: number): T[] {
  const inside = (i: T) => i.atMs > after && i.atMs <= upTo;
  return items.every(inside) ? items : items.filter(inside);
}

/** Inserts by time so late (out-of-order) items land where they belong. */
export function insertByTime<T extends { atMs: number }>(items: T[], item: T): T[] {
  const at = items.findIndex((i) => i.atMs > item.atMs);
  return at === -1 ? [...items, item] : [...items.slice(0, at), item, ...items.slice(at)];
}
