import type { HandoverDeps } from "./deps";
import { queueDueGroupTransfers, sendGroupTransferCalls } from "./groups/groupTransfers";
import { queueNoticesForSending, queueParentIntroductions, queueProblemReports } from "./notices/transferNotices";
import { queueDueCustomerTransfers, retryDueTransfers, sendCustomerTransferCalls } from "./transfers/customerTransfers";
import { pollTransferResults } from "./transfers/resultPoller";

export interface LifecycleRun {
  retried: number;
  customerCallsQueued: number;
  customerCallsSent: number;
  groupCallsQueued: number;
  groupCallsSent: number;
  resultPages: number;
  problemReports: number;
  parentIntroductions: number;
  /** Notices handed to the WeCom outbox, which sends them. */
  noticesQueued: number;
}

/**
 * One pass of the transfer lifecycle. Every step claims its rows (SKIP
 * LOCKED) and records what it intends before doing it, so passes on several
 * instances, or a pass after a crash, only do what is still due.
 */
export async function runTransferLifecycle(deps: HandoverDeps): Promise<LifecycleRun> {
  const retried = await retryDueTransfers(deps);
  const customerCallsQueued = await queueDueCustomerTransfers(deps);
  const customerCallsSent = await sendCustomerTransferCalls(deps);
  const groupCallsQueued = await queueDueGroupTransfers(deps);
  const groupCallsSent = await sendGroupTransferCalls(deps);
  const resultPages = await pollTransferResults(deps);
  const problemReports = await queueProblemReports(deps);
  const parentIntroductions = await queueParentIntroductions(deps);
  const noticesQueued = await queueNoticesForSending(deps);
  return { retried, customerCallsQueued, customerCallsSent, groupCallsQueued, groupCallsSent, resultPages, problemReports, parentIntroductions, noticesQueued };
}
