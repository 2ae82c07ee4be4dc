/**
 * Reminders, their due sweep, reminder policies and the cron slots shared by several instances.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { Scheduler } from "./scheduler";
export { followUps } from "./queries/followUps";
export type { FollowUps } from "./queries/followUps";
export { closeReminders, openReminder, remindersSentForCase } from "./reminders/reminderStore";
export type { DueReminder, ReminderSubject } from "./reminders/reminderSubject";
export { sweepReminders } from "./reminders/reminderSweep";
export { renameReminderRecipient } from "./reminders/renameRecipient";
export { reminderPolicyRoutes } from "./routes/reminderPolicyRoutes";
