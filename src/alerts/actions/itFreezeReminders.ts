import type { EntityManager } from "typeorm";
import { responsibleHr } from "../../org";
import { StaffStatus } from "../../org";
import type { ReminderSubject } from "../../schedules";
import type { ContactEvent } from "../../wecom";
import { enqueueNotification } from "../notifier/alertOutbox";
import { notifyIt } from "./alertActions";
import { returnedRows } from "../../platform/db/returnedRows";

/** The IT team as one recipient: any IT member may do the freeze. */
export const IT_ROLE_RECIPIENT = "role:it";

/**
 * A freeze HR ordered, or the last day's disable, that IT must do by hand (no
 * contacts secret; the task's kind says which). It nags
 * IT every few hours, not daily: a leaver may be messaging parents right now.
 * It closes itself when the directory shows the account disabled or gone, so
 * IT has nothing to tick off and a task can never be "done" while the account
 * still works.
 */
export const itFreezeReminders: ReminderSubject = {
  kind: "it_freeze_task",
  policy: { firstAfterHours: 2, everyHours: 4, escalateAfter: 3, quietHours: { start: "21:00", end: "08:00", tz: "Asia/Shanghai" } },
  async isOpen(manager, r) {
    const rows = await manager.query(
      `SELECT 1 FROM alert_it_task t JOIN staff s ON s.userid = t.staff_userid
       WHERE t.id = $1::bigint AND t.done_at IS NULL AND s.status = $2`,
      [r.subjectId, StaffStatus.active],
    );
    return rows.length > 0;
  },
  async remind(manager, r, seq, now) {
    const [task] = await manager.query(`SELECT staff_userid, kind FROM alert_it_task WHERE id = $1::bigint`, [r.subjectId]);
    await notifyIt(manager, task.staff_userid, seq, now, task.kind);
  },
  async escalate(manager, r, now) {
    const [task] = await manager.query(`SELECT t.staff_userid, t.kind, s.name FROM alert_it_task t LEFT JOIN staff s ON s.userid = t.staff_userid WHERE t.id = $1::bigint`, [r.subjectId]);
    const hr = await responsibleHr(manager, task.staff_userid);
    if (hr.length === 0) return [];
    await enqueueNotification(
      manager,
      {
        alertId: null,
        purpose: "it_task",
        payload: {
          type: "text",
          touser: hr,
          content:
            task.kind === "disable_account"
              ? `【IT任务未完成】${task.name ?? "离职员工"}最后工作日的账号停用已催办 ${r.remindersSent + 1} 次，IT 仍未停用，请跟进。`
              : `【IT任务未完成】成员 ${task.staff_userid} 的账号冻结已催办 ${r.remindersSent + 1} 次，IT 仍未停用，请跟进。`,
        },
      },
      now,
    );
    return hr;
  },
};

/**
 * The directory says the account is disabled or gone: IT did the freeze.
 * Close the task and show the alert as frozen (the reminder closes itself).
 */
export async function closeItTasksWhenDisabled(manager: EntityManager, event: ContactEvent): Promise<void> {
  const disabled =
    event.changeType === "delete_user" ||
    (event.changeType === "update_user" && event.status !== undefined && Number(event.status) !== StaffStatus.active);
  if (!disabled) return;
  const at = new Date(event.createTime * 1000);
  const closed = returnedRows<{ alert_id: string }>(await manager.query(
    `UPDATE alert_it_task SET done_at = $2, done_by = 'directory' WHERE staff_userid = $1 AND done_at IS NULL RETURNING alert_id`,
    [event.userId, at],
  ));
  if (closed.length > 0) {
    await manager.query(`UPDATE alert SET status = 'frozen' WHERE id = ANY($1::bigint[]) AND status = 'freeze_pending_it'`, [closed.map((c) => c.alert_id)]);
  }
}
