import { parse } from "csv-parse/sync";
import type { EntityManager } from "typeorm";
import { NotFoundError, ValidationError, type FieldProblem } from "../../platform/errors";
import type { Actor } from "../policies/actor";
import { authorize } from "../policies/authorize";
import { StaffDirectory } from "../directory/staffDirectory";
import { termsCsvRowSchema, type EmploymentTerms } from "./schema";

const columns: Record<keyof EmploymentTerms, string> = {
  hireDate: "hire_date",
  probationEnd: "probation_end",
  contractStart: "contract_start",
  contractEnd: "contract_end",
  subject: "subject",
};

/** Set the terms given (undefined leaves a value, null clears it), for HR of the person's branch or HQ. */
export async function updateEmploymentTerms(manager: EntityManager, actor: Actor, userid: string, terms: EmploymentTerms, now: Date): Promise<void> {
  const directory = new StaffDirectory(manager);
  if (!(await directory.find(userid))) throw new NotFoundError("员工不存在");
  authorize(actor, "update", { kind: "staff", userid, departmentPaths: await directory.departmentPaths(userid) });
  const entries = (Object.keys(columns) as (keyof EmploymentTerms)[]).filter((k) => terms[k] !== undefined);
  if (entries.length === 0) return;
  const sets = entries.map((k, i) => `${columns[k]} = $${i + 2}`);
  await manager.query(
    `UPDATE staff SET ${sets.join(", ")}, terms_updated_by = $${entries.length + 2}, terms_updated_at = $${entries.length + 3} WHERE userid = $1`,
    [userid, ...entries.map((k) => terms[k]), actor.userid, now],
  );
}

/** Parse a terms CSV; every bad row is reported and none applied. */
export function parseTermsCsv(text: string): { userid: string; terms: EmploymentTerms }[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new ValidationError("CSV 格式有误", [{ path: "csv", message: (err as Error).message }]);
  }
  const problems: FieldProblem[] = [];
  const rows = records.flatMap((record, i) => {
    const result = termsCsvRowSchema.safeParse(Object.fromEntries(Object.entries(record).filter(([, v]) => v !== "")));
    if (!result.success) {
      for (const issue of result.error.issues) problems.push({ path: `rows.${i + 2}.${issue.path.join(".")}`, message: issue.message });
      return [];
    }
    const r = result.data;
    return [{ userid: r.userid, terms: { hireDate: r.hire_date, probationEnd: r.probation_end, contractStart: r.contract_start, contractEnd: r.contract_end, subject: r.subject } }];
  });
  if (problems.length > 0) throw new ValidationError("CSV 中有无效行，未导入任何数据", problems);
  return rows;
}
