/**
 * Handing parents and group chats to a successor: the plan, WeCom transfers, the transfer board,
 * follow-up tasks, handover health and leaver lockdown.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { createHandover, inheritedThreads, refreshPlansAfterCertificates, successorPreview } from "./module";
export type { Handover } from "./module";
export { parentsTransferredAway, planGroupChats, reassignmentFacts } from "./reassignmentFacts";
export { renameHandoverUserid } from "./renameStaffUserid";
export { BOARD_STATE_LABELS } from "./board/boardStatus";
export { FOLLOW_UP_OWNER_LABELS } from "./board/followUpTask";
export { transferOutcomes } from "./queries/transferOutcomes";
