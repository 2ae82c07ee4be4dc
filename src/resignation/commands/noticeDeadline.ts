import type { DataSource, EntityManager } from "typeorm";
import { loadWorkingCalendar } from "../../calendar";
import { formatDateZh, fromInstant, type LocalDate } from "../../platform/localDate";
import { responsibleHr } from "../../org";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { enqueueMessage } from "../outbox/outbox";
import {
  DEFAULT_NOTICE_DEADLINE_WORKING_DAYS,
  deadlineSentence,
  noticeDeadline,
  uncoveredCaveat,
  type NoticeDeadline,
} from "../rules/writtenNoticeDeadline";
import type { CaseRow } from "../store/caseStore";

const SETTING_KEY = "written_notice_deadline";

/** The company's deadline in working days (app_setting, scope global), or the seed's 3. */
export async function noticeDeadlineWorkingDays(manager: EntityManager): Promise<{ workingDays: number; updatedBy: string | null; updatedAt: Date | null }> {
  const rows: { value: { workingDays?: unknown }; updated_by: string | null; updated_at: Date | null }[] = await manager.query(
    `SELECT value, updated_by, updated_at FROM app_setting WHERE key = $1 AND scope = 'global'`,
    [SETTING_KEY],
  );
  const n = rows[0]?.value?.workingDays;
  if (typeof n === "number" && Number.isInteger(n) && n > 0) return { workingDays: n, updatedBy: rows[0]!.updated_by, updatedAt: rows[0]!.updated_at };
  return { workingDays: DEFAULT_NOTICE_DEADLINE_WORKING_DAYS, updatedBy: null, updatedAt: null };
}

export async function saveNoticeDeadlineWorkingDays(manager: EntityManager, workingDays: number, by: string, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO app_setting (key, scope, value, updated_at, updated_by) VALUES ($1, 'global', $2, $3, $4)
     ON CONFLICT (key, scope) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [SETTING_KEY, JSON.stringify({ workingDays }), now, by],
  );
}

export interface StoredDeadline extends NoticeDeadline {
  escalatedAt: Date | null;
}

export async function loadNoticeDeadline(manager: EntityManager, caseId: string): Promise<StoredDeadline | null> {
  const rows = await manager.query(
    `SELECT working_days, to_char(set_on, 'YYYY-MM-DD') AS set_on, to_char(deadline, 'YYYY-MM-DD') AS deadline, uncovered_years, escalated_at
     FROM written_notice_deadline WHERE case_id = $1`,
    [caseId],
  );
  const r = rows[0];
  return r ? { workingDays: r.working_days, setOn: r.set_on, deadline: r.deadline, uncoveredYears: r.uncovered_years, escalatedAt: r.escalated_at } : null;
}

/**
 * A new case's written notice is unsigned: set its deadline, tell the leaver
 * (a WeCom message — the telling is itself evidence), and record it.
 */
export async function setNoticeDeadline(manager: EntityManager, row: CaseRow, now: Date): Promise<NoticeDeadline> {
  const { workingDays } = await noticeDeadlineWorkingDays(manager);
  const d = noticeDeadline(await loadWorkingCalendar(manager), fromInstant(now), workingDays);
  await manager.query(
    `INSERT INTO written_notice_deadline (case_id, working_days, set_on, deadline, uncovered_years, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [row.id, d.workingDays, d.setOn, d.deadline, d.uncoveredYears, now],
  );
  await appendDossier(manager, row.id, now, "notice_deadline_set", { type: "system", id: "resignation" }, {
    setOn: d.setOn,
    workingDays: d.workingDays,
    deadline: d.deadline,
    calendar: d.uncoveredYears.length > 0 ? "provisional_weekends_only" : "official",
    uncoveredYears: d.uncoveredYears,
    toldEmployee: true,
  });
  await enqueueMessage(manager, row.id, "employee_notice", { type: "text", touser: [row.employeeUserid], content: `【离职办理】${deadlineSentence(d)}` }, now);
  return d;
}

/**
 * At the deadline (the day after it, China time) an unsigned notice goes to
 * the responsible HR — once — and the dossier records it.
 */
export async function escalateMissedNoticeDeadlines(dataSource: DataSource, deps: ResignationDeps): Promise<string[]> {
  const now = deps.clock.now();
  const today: LocalDate = fromInstant(now);
  const escalated = await dataSource.transaction(async (m) => {
    const rows: { case_id: string; employee_userid: string; name: string; deadline: string; working_days: number }[] = await m.query(
      `SELECT d.case_id, c.employee_userid, coalesce(s.name, '') AS name, to_char(d.deadline, 'YYYY-MM-DD') AS deadline, d.working_days
       FROM written_notice_deadline d
       JOIN resignation_case c ON c.id = d.case_id
       JOIN resignation_notice n ON n.case_id = d.case_id
       LEFT JOIN staff s ON s.userid = c.employee_userid
       WHERE d.escalated_at IS NULL AND d.deadline < $1 AND n.signed_at IS NULL AND c.state IN ('notice_pending_signature','registered_by_hr')
       ORDER BY d.deadline LIMIT 200 FOR UPDATE OF d SKIP LOCKED`,
      [today],
    );
    for (const r of rows) {
      const hr = await responsibleHr(m, r.employee_userid);
      if (hr.length > 0) {
        const content =
          `【书面离职通知逾期未签】${r.name || "一位员工"}的书面离职通知签署期限（${formatDateZh(r.deadline)}，${r.working_days}个工作日）已过，仍未签署。` +
          "员工此前的离职表示尚无书面通知（《劳动合同法》第三十七条），请与员工确认其意愿，并在控制台查看提醒记录。";
        await enqueueMessage(m, r.case_id, "hr_notice", { type: "text", touser: hr, content }, now);
      }
      await m.query(`UPDATE written_notice_deadline SET escalated_at = $2, updated_at = $2 WHERE case_id = $1`, [r.case_id, now]);
      await appendDossier(m, r.case_id, now, "notice_deadline_missed", { type: "system", id: "resignation" }, { deadline: r.deadline, escalatedTo: hr });
    }
    return rows.map((r) => r.case_id);
  });
  if (escalated.length > 0) deps.wakeOutbox();
  return escalated;
}

/**
 * A year's official arrangement was loaded: every open, unsigned deadline
 * that was estimated across that year is computed again on the real
 * calendar, the leaver told the new date, and the dossier records both.
 */
export async function recomputeProvisionalDeadlines(manager: EntityManager, year: number, now: Date): Promise<string[]> {
  const rows: { case_id: string; employee_userid: string }[] = await manager.query(
    `SELECT d.case_id, c.employee_userid FROM written_notice_deadline d
     JOIN resignation_case c ON c.id = d.case_id JOIN resignation_notice n ON n.case_id = d.case_id
     WHERE $1 = ANY (d.uncovered_years) AND n.signed_at IS NULL AND c.state IN ('notice_pending_signature','registered_by_hr')
     FOR UPDATE OF d`,
    [year],
  );
  const calendar = await loadWorkingCalendar(manager);
  for (const r of rows) {
    const before = (await loadNoticeDeadline(manager, r.case_id))!;
    const d = noticeDeadline(calendar, before.setOn, before.workingDays);
    await manager.query(`UPDATE written_notice_deadline SET deadline = $2, uncovered_years = $3, updated_at = $4 WHERE case_id = $1`, [r.case_id, d.deadline, d.uncoveredYears, now]);
    await appendDossier(manager, r.case_id, now, "notice_deadline_recomputed", { type: "system", id: "calendar" }, {
      loadedYear: year,
      previousDeadline: before.deadline,
      deadline: d.deadline,
      calendar: d.uncoveredYears.length > 0 ? "provisional_weekends_only" : "official",
      uncoveredYears: d.uncoveredYears,
    });
    const changed = d.deadline === before.deadline ? `期限不变，仍为${formatDateZh(d.deadline)}。` : `期限由${formatDateZh(before.deadline)}调整为${formatDateZh(d.deadline)}。`;
    const content = `【离职办理】${year}年法定节假日安排已录入，书面离职通知的签署期限已按官方日历重新计算：${changed}` + (d.uncoveredYears.length ? uncoveredCaveat(d.uncoveredYears) : "");
    await enqueueMessage(manager, r.case_id, "employee_notice", { type: "text", touser: [r.employee_userid], content }, now);
  }
  return rows.map((r) => r.case_id);
}
