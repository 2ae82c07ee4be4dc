/**
 * The conversation mirror: archive ingest, encrypted storage, blind-index search, thread reads and the
 * activity queries other capabilities ask of it.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { createConversations } from "./module";
export type { Conversations } from "./module";
export { renameConversationsStaffUserid } from "./renameStaffUserid";
export type { InheritedThreads, InheritedThreadsSource } from "./access/inheritedThreads";
export { visibleSubjects } from "./access/visibleSubjects";
export type { ArchiveFanout, ArchivedChat } from "./archive/archiveFanout";
export { isExternalId } from "./archive/conversationScope";
export { readArchivedMessages } from "./archive/readArchivedMessages";
export { activitySince, LATEST_STORED_AT, pairActivitySql, windowActivityCtes } from "./queries/pairActivity";
export type { PairActivitySql, StoredMark } from "./queries/pairActivity";
export { ConversationWordFinder } from "./queries/wordsInConversations";
export type { CandidateRow, WordHit, WordWindow } from "./queries/wordsInConversations";
export type { WithdrawnConsent } from "./queries/withdrawnConsents";
