import type { PlatformServices } from "../platform/services";
import type { Job } from "../platform/jobs";
import type { ReminderSubject } from "../schedules";
import { openQualificationReminders, qualificationReminders } from "./qualifications/qualificationReminders";

export interface People {
  jobs: Job[];
  reminderSubjects: ReminderSubject[];
  /** One daily pass of the qualification reminders (what its job runs; tests call it on a test clock). */
  openQualificationReminders(): Promise<number>;
}

/**
 * A person's documents over their working life, beyond the resignation: the 90/30/7-day reminders of
 * teachers' registrations and certificates (the records themselves are the directory's, org). Reminders go
 * through the schedules' sweep and the service's message outbox like every other reminder.
 */
export function createPeople(services: PlatformServices): People {
  const openDue = () => services.dataSource.transaction((m) => openQualificationReminders(m, services.clock.now()));
  return {
    jobs: [{ name: "qualification-reminders", cron: "0 5 9 * * *", runOnStart: true, run: async () => void (await openDue()) }],
    reminderSubjects: [qualificationReminders],
    openQualificationReminders: openDue,
  };
}
