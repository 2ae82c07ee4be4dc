import { z } from "zod";
import { isLocalDate } from "../../platform/localDate";

const localDate = z.string().refine(isLocalDate, "must be a date YYYY-MM-DD");

/** HR-maintained employment terms; WeCom has none of these. null clears a value. */
export const employmentTermsSchema = z
  .object({
    hireDate: localDate.nullable().optional(),
    probationEnd: localDate.nullable().optional(),
    contractStart: localDate.nullable().optional(),
    contractEnd: localDate.nullable().optional(),
    subject: z.string().trim().max(32).nullable().optional(),
  })
  .refine((t) => !(t.hireDate && t.probationEnd && t.probationEnd < t.hireDate), { message: "试用期结束不能早于入职日期", path: ["probationEnd"] })
  .refine((t) => !(t.contractStart && t.contractEnd && t.contractEnd < t.contractStart), { message: "合同结束不能早于合同开始", path: ["contractEnd"] });

export type EmploymentTerms = z.infer<typeof employmentTermsSchema>;

/** One CSV row: userid plus any of the terms (empty cells leave a value unchanged). */
export const termsCsvRowSchema = z.intersection(
  z.object({ userid: z.string().trim().min(1).max(64) }),
  z.object({
    hire_date: localDate.optional(),
    probation_end: localDate.optional(),
    contract_start: localDate.optional(),
    contract_end: localDate.optional(),
    subject: z.string().trim().max(32).optional(),
  }),
);
