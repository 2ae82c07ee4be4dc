/**
 * Parents, children, classes and group chats as synced from WeCom.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { groupChatNames, rememberGroupChatNames } from "./groupChats";
export { createParents } from "./module";
export { childrenOfParents, classNames } from "./parentChildren";
export type { ChildOf } from "./parentChildren";
export { parentPhrase } from "./parentPhrase";
export { parentsByName } from "./parentsByName";
export { renameParentsStaffUserid } from "./renameStaffUserid";
export type { ClassRow } from "./classes/schema";
