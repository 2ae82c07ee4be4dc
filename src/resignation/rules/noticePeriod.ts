import { addDays, assertLocalDate, compareDates, formatDateZh, type LocalDate } from "../../platform/localDate";
import { CalendarNotCovered, packageCalendar, type WorkingCalendar } from "../../calendar";
import { ValidationError } from "../../platform/errors";

/**
 * The earliest last day of employment an employee can claim (labor-law.md §1).
 *
 * Counting: the notice date itself is not counted (CC 201: a period counted in
 * days starts the next day), so "30 days' notice" given on 03-01 runs 03-02 …
 * 03-31 and the last day of employment is noticeDate + 30 (03-31); probation
 * gives noticeDate + 3. This is the reading that favours neither side by a day
 * and matches common HR practice, but no labour-specific authority confirms it,
 * so the result always carries the CC 201 caveat. CC 203 (a period ending on a
 * statutory holiday ends the next working day) is NOT applied — the law file
 * says to treat the 30 days as calendar days — but the caveat is shown when
 * the computed day is a day off.
 */

export type ResignationBasis =
  /** LCL 37: 30 days' written notice; 3 days during probation. */
  | "standard"
  /** LCL 36: any date both sides agree on. */
  | "mutual_agreement"
  /** LCL 38 ¶2: forced labour / dangerous orders — immediate, no notice needed. */
  | "lcl38_immediate"
  /** LCL 38 ¶1: other employer fault (unpaid wages, no social insurance, …) — no 30-day notice period. */
  | "lcl38_employer_fault";

/** The agreement must exist as an HR-approved record before it can shorten the notice. */
export interface MutualAgreement {
  lastDay: LocalDate;
  hrApproverUserId: string;
  /** ISO instant the HR approval was recorded. */
  approvedAt: string;
  /** Which side proposed ending the contract; decides economic compensation (LCL 46(2)). */
  proposedBy: "employee" | "employer";
}

export interface NoticePeriodInput {
  noticeDate: LocalDate;
  inProbation: boolean;
  basis: ResignationBasis;
  agreement?: MutualAgreement;
}

export interface EarliestLastDay {
  lastDay: LocalDate;
  basis: ResignationBasis;
  noticeDays: number | null;
  legalRefs: string[];
  /** User-facing, Chinese. */
  caveats: string[];
}

export const CAVEAT_CC201 =
  "通知期按日历日计算：提出通知的当日不计入（参照《民法典》第二百零一条），自次日起算。目前没有劳动法领域的权威解释明确适用该规则，如有争议请咨询法务。";
export const CAVEAT_CC203 =
  "最后工作日恰逢法定节假日或休息日。《民法典》第二百零三条规定期间最后一日是法定休假日的，以休假日结束的次日为期间的最后一日；本系统按日历日计算、未顺延，如有争议请咨询法务。";
export const CAVEAT_CALENDAR_UNKNOWN =
  "最后工作日所在年份的法定节假日安排尚未公布，无法判断当日是否为法定节假日（《民法典》第二百零三条可能导致顺延）。";
export const CAVEAT_NO_APPROVAL_NEEDED =
  "员工依法提前通知即可解除劳动合同，无需公司批准；系统中的审批环节仅用于内部交接安排，不影响离职日期。";
export const CAVEAT_LCL38_FAULT =
  "以用人单位存在《劳动合同法》第三十八条第一款情形为由解除劳动合同的，无需提前三十日通知，但仍应通知用人单位；该情形是否成立需人事及法务核实，成立的公司应支付经济补偿（第四十六条）。";
export const CAVEAT_LCL38_IMMEDIATE =
  "以暴力、威胁或非法限制人身自由强迫劳动，或违章指挥、强令冒险作业危及人身安全的，劳动者可以立即解除劳动合同，无需事先告知用人单位；该情形需人事及法务核实，成立的公司应支付经济补偿（第四十六条）。";
export const CAVEAT_PROBATION =
  "试用期内提前三日通知即可解除劳动合同（《劳动合同法》第三十七条）；是否处于试用期以通知当日为准。";

export function isInProbationOn(noticeDate: LocalDate, probationEndDate: LocalDate | null): boolean {
  // The probation end date is the last day of probation, so notice given that day is still notice in probation.
  return probationEndDate !== null && compareDates(noticeDate, probationEndDate) <= 0;
}

export function earliestLastDay(input: NoticePeriodInput, calendar: WorkingCalendar = packageCalendar): EarliestLastDay {
  const noticeDate = assertLocalDate(input.noticeDate, "noticeDate");
  switch (input.basis) {
    case "standard": {
      const noticeDays = input.inProbation ? 3 : 30;
      const lastDay = addDays(noticeDate, noticeDays);
      const caveats = [CAVEAT_CC201, ...(input.inProbation ? [CAVEAT_PROBATION] : []), CAVEAT_NO_APPROVAL_NEEDED];
      caveats.push(...dayOffCaveat(lastDay, calendar));
      return { lastDay, basis: "standard", noticeDays, legalRefs: ["LCL 37", "LL 31", "CC 201"], caveats };
    }
    case "mutual_agreement": {
      const a = input.agreement;
      if (!a || !a.hrApproverUserId || !a.approvedAt || Number.isNaN(Date.parse(a.approvedAt))) {
        throw new ValidationError("协商一致解除须有人事确认的协议记录（确认人与确认时间）");
      }
      const lastDay = assertLocalDate(a.lastDay, "agreement.lastDay");
      if (compareDates(lastDay, noticeDate) < 0) {
        throw new ValidationError(`协商确定的最后工作日（${formatDateZh(lastDay)}）不能早于提出日期（${formatDateZh(noticeDate)}）`);
      }
      return { lastDay, basis: "mutual_agreement", noticeDays: null, legalRefs: ["LCL 36"], caveats: [] };
    }
    case "lcl38_immediate":
      return {
        lastDay: noticeDate,
        basis: "lcl38_immediate",
        noticeDays: 0,
        legalRefs: ["LCL 38", "LL 32", "LCL 46"],
        caveats: [CAVEAT_LCL38_IMMEDIATE],
      };
    case "lcl38_employer_fault":
      return {
        lastDay: noticeDate,
        basis: "lcl38_employer_fault",
        noticeDays: 0,
        legalRefs: ["LCL 38", "LL 32", "LCL 46"],
        caveats: [CAVEAT_LCL38_FAULT],
      };
    default:
      throw new ValidationError(`未知的离职依据：${String((input as { basis: unknown }).basis)}`);
  }
}

function dayOffCaveat(lastDay: LocalDate, calendar: WorkingCalendar): string[] {
  try {
    return calendar.isWorkday(lastDay).value ? [] : [CAVEAT_CC203];
  } catch (e) {
    if (e instanceof CalendarNotCovered) return [CAVEAT_CALENDAR_UNKNOWN];
    throw e;
  }
}

export type RequestedLastDayCheck = { ok: true } | { ok: false; code: "before_earliest_last_day"; message: string };

/**
 * An employee may leave later than the earliest day (a longer notice is
 * theirs to give) but not earlier, unless an HR-approved agreement says so —
 * in which case `earliest` was computed with basis 'mutual_agreement'.
 */
export function validateRequestedLastDay(requested: LocalDate, earliest: EarliestLastDay): RequestedLastDayCheck {
  assertLocalDate(requested, "requestedLastDay");
  if (compareDates(requested, earliest.lastDay) >= 0) return { ok: true };
  return {
    ok: false,
    code: "before_earliest_last_day",
    message:
      earliest.basis === "mutual_agreement"
        ? `申请的最后工作日（${formatDateZh(requested)}）早于协商确定的日期（${formatDateZh(earliest.lastDay)}）。`
        : `申请的最后工作日（${formatDateZh(requested)}）早于依法可离职的最早日期（${formatDateZh(earliest.lastDay)}）。` +
          "如需提前离职，请先与公司协商一致，并由人事确认协商记录。",
  };
}
