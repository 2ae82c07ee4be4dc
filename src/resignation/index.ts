/**
 * A resignation end to end: notice law, e-signed written notice, approvals, reminders, checklist,
 * settlement, exit interview, last day, certificate.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { createResignation } from "./module";
export type { Resignation } from "./module";
export { renameResignationUserid } from "./renameStaffUserid";
export type { SettlementStatement } from "./presenters/settlementPresenter";
export { caseStatistics } from "./queries/caseStatistics";
export { resignationReminderSubjects } from "./reminders/resignationReminders";
export { REASON_CATEGORIES } from "./rules/noticeDocument";
export { COMPENSATION_GROUNDS } from "./rules/settlement";
export { enqueueMessage } from "./outbox/outbox";
