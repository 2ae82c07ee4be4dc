import { addDays, assertLocalDate, compareDates, formatDateZh, monthsAndDaysBetween, type LocalDate } from "../../platform/localDate";
import { ValidationError } from "../../platform/errors";

/**
 * The termination certificate (离职证明). Regs 24 lists what it must state:
 * contract term, termination date, position, years of service with this
 * employer. It must be issued even if the handover is unfinished and must not
 * say anything that harms the employee — so there is deliberately no remarks,
 * reason or evaluation field, and only whitelisted fields are copied in.
 */

export interface CertificateInput {
  employeeName: string;
  /** Optional: many employers print it; leave out if not collected. */
  idNumber?: string;
  employerName: string;
  position: string;
  /** Start of this employment with this employer. */
  hireDate: LocalDate;
  contractStart: LocalDate;
  /** null for an open-ended contract (无固定期限). */
  contractEnd: LocalDate | null;
  terminationDate: LocalDate;
  issueDate: LocalDate;
}

export interface Certificate {
  fields: {
    employeeName: string;
    idNumber: string | null;
    employerName: string;
    position: string;
    contractTerm: string;
    terminationDate: LocalDate;
    serviceLength: string;
    issueDate: LocalDate;
  };
  title: string;
  text: string;
}

/** The document's heading; the stored text is the body below it. */
export const CERTIFICATE_TITLE = "离职证明";

export function serviceLengthZh(hireDate: LocalDate, terminationDate: LocalDate): string {
  const { months, days } = monthsAndDaysBetween(hireDate, addDays(terminationDate, 1));
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const parts = [years > 0 ? `${years}年` : "", rest > 0 ? `${rest}个月` : "", days > 0 ? `${days}天` : ""].filter(Boolean);
  return parts.join("") || "0天";
}

export function buildCertificate(input: CertificateInput): Certificate {
  for (const key of ["employeeName", "employerName", "position"] as const) {
    if (!input[key]?.trim()) throw new ValidationError(`离职证明缺少必填项：${key}`);
  }
  const hire = assertLocalDate(input.hireDate, "hireDate");
  const start = assertLocalDate(input.contractStart, "contractStart");
  const end = input.contractEnd === null ? null : assertLocalDate(input.contractEnd, "contractEnd");
  const termination = assertLocalDate(input.terminationDate, "terminationDate");
  const issue = assertLocalDate(input.issueDate, "issueDate");
  if (compareDates(termination, hire) < 0) throw new ValidationError("离职日期早于入职日期");
  if (end && compareDates(end, start) < 0) throw new ValidationError("合同终止日期早于起始日期");
  if (compareDates(issue, termination) < 0) throw new ValidationError("开具日期不能早于离职日期");

  const contractTerm = end
    ? `${formatDateZh(start)}至${formatDateZh(end)}`
    : `自${formatDateZh(start)}起（无固定期限）`;
  const fields: Certificate["fields"] = {
    employeeName: input.employeeName.trim(),
    idNumber: input.idNumber?.trim() || null,
    employerName: input.employerName.trim(),
    position: input.position.trim(),
    contractTerm,
    terminationDate: termination,
    serviceLength: serviceLengthZh(hire, termination),
    issueDate: issue,
  };
  const who = fields.idNumber ? `${fields.employeeName}（身份证号：${fields.idNumber}）` : fields.employeeName;
  const text = [
    "兹证明",
    "",
    `${who}于${formatDateZh(hire)}入职我单位，担任${fields.position}，劳动合同期限为${contractTerm}，` +
      `在我单位工作年限为${fields.serviceLength}。双方劳动合同已于${formatDateZh(termination)}解除（终止）。`,
    "",
    "特此证明。",
    "",
    `${fields.employerName}（盖章）`,
    formatDateZh(issue),
  ].join("\n");
  return { fields, title: CERTIFICATE_TITLE, text };
}

/** LCL 50: archive (档案) and social-insurance transfer within 15 days of termination; the termination day itself is not counted. */
export function transferDeadline(terminationDate: LocalDate): LocalDate {
  return addDays(assertLocalDate(terminationDate, "terminationDate"), 15);
}
