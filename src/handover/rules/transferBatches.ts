/** WeCom takes at most 100 customers or group chats per transfer call. */
export const MAX_IDS_PER_TRANSFER_CALL = 100;
/** On-job transfer: a customer may be transferred at most twice in 90 days. */
export const ON_JOB_TRANSFERS_PER_WINDOW = 2;
export const ON_JOB_WINDOW_MS = 90 * 86_400_000;

/** Deduplicated ids in calls of ≤ 100, input order kept. */
export function batchTransferIds(ids: string[], size = MAX_IDS_PER_TRANSFER_CALL): string[][] {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += size) batches.push(unique.slice(i, i + size));
  return batches;
}

function inWindow(history: Date[], now: Date): number[] {
  const from = now.getTime() - ON_JOB_WINDOW_MS;
  return history.map((d) => d.getTime()).filter((t) => t > from).sort((a, b) => a - b);
}

/** `history`: when earlier on-job transfers of this parent were started. */
export function canTransferOnJob(history: Date[], now: Date): boolean {
  return inWindow(history, now).length < ON_JOB_TRANSFERS_PER_WINDOW;
}

/** The earliest instant an on-job transfer of this parent is allowed again. */
export function onJobTransferAvailableAt(history: Date[], now: Date): Date {
  const recent = inWindow(history, now);
  if (recent.length < ON_JOB_TRANSFERS_PER_WINDOW) return now;
  // Allowed once all but one of the recent transfers have aged out.
  return new Date(recent[recent.length - ON_JOB_TRANSFERS_PER_WINDOW]! + ON_JOB_WINDOW_MS);
}
