import type { EntityManager } from "typeorm";
import { dueActionLabel, qualificationById, qualificationsDueBetween, reminderDueToday, REMINDER_DAYS, responsibleHr, StaffStatus, type QualificationRecord } from "../../org";
import { addDays, daysBetween, formatDateZh, fromInstant } from "../../platform/localDate";
import { enqueueMessage } from "../../resignation";
import { openReminder, type ReminderSubject } from "../../schedules";

export const QUALIFICATION_REMINDER_KIND = "qualification_due";

/**
 * Each (record, date, threshold) reminder goes out once, to the teacher and to their campus HR: due at once
 * when opened (but never in the night), never repeated, never escalated — the next threshold is the next
 * nudge. The record's id, date and threshold make the subject id, so a renewed registration (a new date)
 * starts its own 90/30/7 and the old date's reminders close themselves.
 */
const ONCE = {
  firstAfterHours: 0,
  everyHours: 24 * 366 * 10,
  escalateAfter: Number.MAX_SAFE_INTEGER,
  quietHours: { start: "21:00", end: "08:00", tz: "Asia/Shanghai" },
};

function subjectId(q: Pick<QualificationRecord, "id" | "dueOn">, days: number): string {
  return `${q.id}:${q.dueOn}:${days}`;
}

function parseSubjectId(id: string): { qualificationId: string; dueOn: string; days: number } | null {
  const m = /^(\d+):(\d{4}-\d{2}-\d{2}):(\d+)$/.exec(id);
  return m ? { qualificationId: m[1]!, dueOn: m[2]!, days: Number(m[3]) } : null;
}

/**
 * The daily pass (and the start-up run): every record whose date is at most 90 days ahead gets the
 * reminder of the threshold it has reached, opened once per recipient. Run again the same day, after a
 * re-import or after the send, it opens nothing new (openReminder's `once`). Returns the reminders ensured.
 */
export async function openQualificationReminders(manager: EntityManager, now: Date): Promise<number> {
  const today = fromInstant(now);
  const due = await qualificationsDueBetween(manager, today, addDays(today, Math.max(...REMINDER_DAYS)));
  let opened = 0;
  for (const q of due) {
    const days = reminderDueToday(q.dueOn!, today);
    if (days === null) continue;
    const [staff] = await manager.query(`SELECT status FROM staff WHERE userid = $1`, [q.staffUserid]);
    // A teacher who left needs no registration reminder; their HR does not either.
    if (!staff || Number(staff.status) === StaffStatus.left) continue;
    const recipients = [...new Set([q.staffUserid, ...(await responsibleHr(manager, q.staffUserid))])];
    for (const recipient of recipients) {
      await openReminder(manager, { subjectKind: QUALIFICATION_REMINDER_KIND, subjectId: subjectId(q, days), recipientUserid: recipient, openedAt: now, policy: ONCE, once: true });
      opened++;
    }
  }
  return opened;
}

function certificateLabel(q: QualificationRecord): string {
  const detail = [q.level, q.subject].filter(Boolean).join("·");
  return `${q.name}（${detail ? `${detail}，` : ""}编号 ${q.certificateNo}）`;
}

/** What the teacher and HR read: whose certificate, what to do by when, how many days are left. */
export function qualificationReminderText(q: QualificationRecord, forTeacher: boolean, daysLeft: number): string {
  const action = dueActionLabel(q.kind);
  const when = `须于${formatDateZh(q.dueOn!)}前${action}`;
  const left = daysLeft === 0 ? "今天到期" : `还有 ${daysLeft} 天`;
  return forTeacher
    ? `【资质提醒】您的${certificateLabel(q)}${when}，${left}。请及时办理，办理后把新的日期交给人事登记。`
    : `【资质提醒】${q.staffName}${q.departmentName ? `（${q.departmentName}）` : ""}的${certificateLabel(q)}${when}，${left}，请提醒并跟进。`;
}

export const qualificationReminders: ReminderSubject = {
  kind: QUALIFICATION_REMINDER_KIND,
  policy: ONCE,
  async isOpen(manager, r) {
    if (r.remindersSent > 0) return false;
    const key = parseSubjectId(r.subjectId);
    if (!key) return false;
    const q = await qualificationById(manager, key.qualificationId);
    return q !== null && q.dueOn === key.dueOn;
  },
  async remind(manager, r, _seq, now) {
    const key = parseSubjectId(r.subjectId)!;
    const q = (await qualificationById(manager, key.qualificationId))!;
    const content = qualificationReminderText(q, r.recipientUserid === q.staffUserid, Math.max(0, daysBetween(fromInstant(now), q.dueOn!)));
    await enqueueMessage(manager, null, "reminder", { type: "text", touser: [r.recipientUserid], content }, now);
  },
  async escalate() {
    return [];
  },
};
