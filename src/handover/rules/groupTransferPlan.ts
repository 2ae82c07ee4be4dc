import { CHINA_TIME_ZONE, fromInstant } from "../../platform/localDate";
import { startOfLocalDay } from "../../calendar";
import { batchTransferIds } from "./transferBatches";

/** WeCom: a new owner can take over at most 300 group chats per day. */
export const MAX_GROUPS_PER_OWNER_PER_DAY = 300;

export interface GroupToTransfer {
  chatId: string;
  newOwner: string;
}

export interface GroupTransferCall {
  newOwner: string;
  chatIds: string[];
  /** China local day the call belongs to ("YYYY-MM-DD"). */
  day: string;
  /** Do not call before this instant: now for today, local midnight for later days. */
  notBefore: Date;
}

export interface GroupTransferOptions {
  /** Groups each owner already received today (from earlier runs). */
  alreadyToday?: Record<string, number>;
  tz?: string;
}

/**
 * Spreads group-chat transfers over days so no new owner exceeds the daily
 * cap (350 groups → 300 today, 50 tomorrow), in calls of ≤ 100. Days are
 * China local days because that is the day WeCom counts in.
 */
export function planGroupTransfers(groups: GroupToTransfer[], now: Date, options: GroupTransferOptions = {}): GroupTransferCall[] {
  const tz = options.tz ?? CHINA_TIME_ZONE;
  const byOwner = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const g of groups) {
    if (seen.has(g.chatId)) continue;
    seen.add(g.chatId);
    byOwner.set(g.newOwner, [...(byOwner.get(g.newOwner) ?? []), g.chatId]);
  }

  const calls: GroupTransferCall[] = [];
  for (const [owner, chatIds] of byOwner) {
    let remaining = chatIds;
    let dayOffset = 0;
    let room = Math.max(0, MAX_GROUPS_PER_OWNER_PER_DAY - (options.alreadyToday?.[owner] ?? 0));
    while (remaining.length > 0) {
      const notBefore = dayOffset === 0 ? now : startOfLocalDay(now, tz, dayOffset);
      const today = remaining.slice(0, room);
      for (const batch of batchTransferIds(today)) {
        calls.push({ newOwner: owner, chatIds: batch, day: fromInstant(notBefore, tz), notBefore });
      }
      remaining = remaining.slice(room);
      dayOffset++;
      room = MAX_GROUPS_PER_OWNER_PER_DAY;
    }
  }
  return calls;
}
