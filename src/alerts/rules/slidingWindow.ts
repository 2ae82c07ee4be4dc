/** Keeps items newer than `windowMs` before `nowMs` (the window's right edge). */
export function pruneWindow<T extends { atMs: number }>(items: T[], nowMs: number, windowMs: number): T[] {
  return items.filter((i) => i.atMs > nowMs - windowMs);
}

/** Inserts by time so late (out-of-order) items land where they belong. */
export function insertByTime<T extends { atMs: number }>(items: T[], item: T): T[] {
  const at = items.findIndex((i) => i.atMs > item.atMs);
  return at === -1 ? [...items, item] : [...items.slice(0, at), item, ...items.slice(at)];
}
