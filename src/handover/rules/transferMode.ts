/**
 * Which WeCom transfer applies. A member who is still employed in WeCom must
 * go through the on-job endpoint (quota 2 per parent per 90 days, a message to
 * the parent); once WeCom shows them as left, only the resigned endpoint works
 * (no quota, no message). Using the on-job endpoint for leavers is a known
 * failure of existing systems.
 */
export type TransferMode = "on_job" | "resigned";

/** WeCom user/get `status`: 1 active, 2 disabled, 4 not activated, 5 quit. */
export function transferModeFor(weComUserStatus: number): TransferMode {
  return weComUserStatus === 5 ? "resigned" : "on_job";
}

export function quotaApplies(mode: TransferMode): boolean {
  return mode === "on_job";
}

/** The resigned endpoint carries no transfer_success_msg; WeCom shows its own text. */
export function sendsParentMessage(mode: TransferMode): boolean {
  return mode === "on_job";
}
