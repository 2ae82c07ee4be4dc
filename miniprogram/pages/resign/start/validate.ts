import type { ReasonCategory } from "../../../services/types";

export const REASON_CATEGORIES: { value: ReasonCategory; label: string }[] = [
  { value: "personal_development", label: "个人发展" },
  { value: "family", label: "家庭原因" },
  { value: "health", label: "身体原因" },
  { value: "relocation", label: "工作地点变动" },
  { value: "compensation", label: "薪酬福利" },
  { value: "further_study", label: "继续深造" },
  { value: "other", label: "其他原因" },
];

export const MAX_REASON_TEXT = 500;
export const MAX_HANDOVER_NOTES = 1000;

export interface StartForm {
  categoryIndex: number;
  reasonText: string;
  requestedLastDay: string;
  handoverNotes: string;
}

/** Field → message for what must change before submitting; empty when the form can be sent. */
export function validateStartForm(form: StartForm, earliestLastDay: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!REASON_CATEGORIES[form.categoryIndex]) errors.reasonCategory = "请选择离职原因类别";
  const reason = form.reasonText.trim();
  if (!reason) errors.reasonText = "请简单写一下离职原因";
  else if (reason.length > MAX_REASON_TEXT) errors.reasonText = `离职原因不超过 ${MAX_REASON_TEXT} 字`;
  if (!form.requestedLastDay) errors.requestedLastDay = "请选择希望的最后工作日";
  // YYYY-MM-DD strings compare in date order.
  else if (earliestLastDay && form.requestedLastDay < earliestLastDay) {
    errors.requestedLastDay = `最后工作日不能早于 ${earliestLastDay}`;
  }
  if (form.handoverNotes.trim().length > MAX_HANDOVER_NOTES) errors.handoverNotes = `交接说明不超过 ${MAX_HANDOVER_NOTES} 字`;
  return errors;
}
