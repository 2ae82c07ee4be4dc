import type { LocalDate } from "../../platform/localDate";
import type { StaffRecord } from "../../org";
import { earliestLastDay, isInProbationOn, type EarliestLastDay, type MutualAgreement, type ResignationBasis } from "../rules/noticePeriod";

/** The lawful earliest last day for this person, were notice given on `noticeDate`. */
export function earliestFor(
  staff: Pick<StaffRecord, "probationEnd">,
  noticeDate: LocalDate,
  basis: ResignationBasis = "standard",
  agreement?: MutualAgreement,
): EarliestLastDay & { inProbation: boolean } {
  const inProbation = isInProbationOn(noticeDate, staff.probationEnd);
  return { ...earliestLastDay({ noticeDate, inProbation, basis, agreement }), inProbation };
}
