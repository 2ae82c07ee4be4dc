import { formatDateZh } from "../../platform/localDate";
import type { Earliest } from "../../../miniprogram/services/types";
import type { EarliestLastDay } from "../rules/noticePeriod";

/** Contract `Earliest` (miniprogram/services/types.ts). */
export type EarliestJson = Earliest;

export function presentEarliest(e: EarliestLastDay & { inProbation: boolean }): EarliestJson {
  const day = formatDateZh(e.lastDay);
  switch (e.basis) {
    case "standard":
      return e.inProbation
        ? { lastDay: e.lastDay, basis: "probation", noticeDays: e.noticeDays ?? 3, caveats: e.caveats, explanation: `依据《劳动合同法》第三十七条，试用期内提前三日通知用人单位，可以解除劳动合同。今天提出，最早可于${day}离职。` }
        : { lastDay: e.lastDay, basis: "standard", noticeDays: e.noticeDays ?? 30, caveats: e.caveats, explanation: `依据《劳动合同法》第三十七条，提前三十日以书面形式通知用人单位，可以解除劳动合同。今天提出，最早可于${day}离职。` };
    case "mutual_agreement":
      return { lastDay: e.lastDay, basis: "mutual_agreement", noticeDays: 0, caveats: e.caveats, explanation: `依据《劳动合同法》第三十六条，双方协商一致确定最后工作日为${day}。` };
    case "lcl38_immediate":
    case "lcl38_employer_fault":
      return { lastDay: e.lastDay, basis: "lcl38_immediate", noticeDays: 0, caveats: e.caveats, explanation: `依据《劳动合同法》第三十八条，可以即时解除劳动合同，最后工作日为${day}。` };
  }
}
