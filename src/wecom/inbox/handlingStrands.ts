import type { WeComEvent } from "../events/types";

/**
 * What an event's handlers may lock: the member and the parent it names. Two
 * events that share one are handled by the same lane, one after the other in
 * arrival order; events that share none may run side by side. Department
 * events are one subject (the department tree), and an event naming nothing
 * is its own.
 */
export function eventSubjects(event: WeComEvent, fallback: string): string[] {
  switch (event.type) {
    case "change_external_contact":
      return [`member:${event.userId}`, `parent:${event.externalUserId}`];
    case "change_contact":
      if ("partyId" in event) return ["departments"];
      return "newUserId" in event && event.newUserId ? [`member:${event.userId}`, `member:${event.newUserId}`] : [`member:${event.userId}`];
    default:
      return [fallback];
  }
}

/**
 * Splits events (in arrival order) into `lanes` strands so that events sharing
 * a subject always land in the same strand: batched transactions in parallel
 * lanes then never wait on each other's row locks, and never deadlock (each
 * would hold a row the other wants until its commit). Connected groups go to
 * the strand with the fewest events so far; each strand keeps arrival order.
 */
export function handlingStrands<T>(items: readonly T[], subjects: (item: T) => string[], lanes: number): T[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = k; at !== root; ) {
      const up = parent.get(at)!;
      parent.set(at, root);
      at = up;
    }
    return root;
  };
  const keys = items.map((item) => {
    const own = subjects(item);
    for (const k of own) if (!parent.has(k)) parent.set(k, k);
    for (const k of own.slice(1)) {
      const a = find(own[0]!);
      const b = find(k);
      if (a !== b) parent.set(b, a);
    }
    return own[0]!;
  });
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const root = find(k);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  });
  const strands: number[][] = Array.from({ length: Math.max(1, lanes) }, () => []);
  for (const members of [...groups.values()].sort((a, b) => b.length - a.length)) {
    const lightest = strands.reduce((best, s) => (s.length < best.length ? s : best));
    lightest.push(...members);
  }
  return strands.filter((s) => s.length > 0).map((s) => s.sort((a, b) => a - b).map((i) => items[i]!));
}
