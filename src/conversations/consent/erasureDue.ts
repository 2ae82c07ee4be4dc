/**
 * When a withdrawn pair's archive is erased (PIPL 47: the handler deletes
 * personal information once consent is withdrawn). The grace period lets HR
 * see the withdrawal and, if a dispute needs the chats as evidence, place a
 * hold with a reason first; a hold stops the erasure until it is released.
 * Consent given again before the end of the grace period keeps the archive.
 */
export function erasureDueAt(withdrawnAt: Date, graceDays: number): Date {
  return new Date(withdrawnAt.getTime() + graceDays * 86_400_000);
}

export function isErasureDue(pair: { status: "agree" | "disagree"; changedAt: Date; held: boolean }, now: Date, graceDays: number): boolean {
  return pair.status === "disagree" && !pair.held && erasureDueAt(pair.changedAt, graceDays).getTime() <= now.getTime();
}
