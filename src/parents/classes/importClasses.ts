import { parse } from "csv-parse/sync";
import type { EntityManager } from "typeorm";
import { ValidationError, type FieldProblem } from "../../platform/errors";
import { classRowSchema, type ClassRow } from "./schema";

/** Parse a CSV roster (header row with the schema's column names); every bad row is reported, none applied. */
export function parseClassCsv(text: string): ClassRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new ValidationError("CSV 格式有误", [{ path: "csv", message: (err as Error).message }]);
  }
  const problems: FieldProblem[] = [];
  const rows: ClassRow[] = [];
  records.forEach((record, i) => {
    const cleaned = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ""));
    const result = classRowSchema.safeParse(cleaned);
    if (result.success) rows.push(result.data);
    else for (const issue of result.error.issues) problems.push({ path: `rows.${i + 2}.${issue.path.join(".")}`, message: issue.message });
  });
  if (problems.length > 0) throw new ValidationError("CSV 中有无效行，未导入任何数据", problems);
  return rows;
}

/**
 * Apply a roster in one transaction: classes, teacher roles, students and
 * parent links are upserted; the import is all-or-nothing.
 */
export async function importClasses(manager: EntityManager, rows: ClassRow[]): Promise<{ classes: number; teachers: number; students: number; parents: number }> {
  const seen = { classes: new Set<string>(), teachers: new Set<string>(), students: new Set<string>(), parents: new Set<string>() };
  for (const r of rows) {
    if (!seen.classes.has(r.class_code)) {
      await manager.query(
        `INSERT INTO school_class (code, name, campus_department_id, subject) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
           campus_department_id = coalesce(excluded.campus_department_id, school_class.campus_department_id),
           subject = coalesce(excluded.subject, school_class.subject)`,
        [r.class_code, r.class_name, r.campus_department_id ?? null, r.subject ?? null],
      );
      seen.classes.add(r.class_code);
    }
    if (r.teacher_userid) {
      await manager.query(
        `INSERT INTO class_teacher (class_code, staff_userid, role, subject) VALUES ($1, $2, $3, $4)
         ON CONFLICT (class_code, staff_userid) DO UPDATE SET role = excluded.role, subject = excluded.subject`,
        [r.class_code, r.teacher_userid, r.teacher_role ?? "subject_teacher", r.teacher_subject ?? r.subject ?? null],
      );
      seen.teachers.add(`${r.class_code}/${r.teacher_userid}`);
    }
    if (r.student_code) {
      await manager.query(
        `INSERT INTO student (code, name, class_code) VALUES ($1, $2, $3)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, class_code = excluded.class_code`,
        [r.student_code, r.student_name ?? r.student_code, r.class_code],
      );
      seen.students.add(r.student_code);
      if (r.parent_external_userid) {
        await manager.query(
          `INSERT INTO parent_student (external_userid, student_code, relation) VALUES ($1, $2, $3)
           ON CONFLICT (external_userid, student_code) DO UPDATE SET relation = excluded.relation`,
          [r.parent_external_userid, r.student_code, r.relation ?? null],
        );
        seen.parents.add(`${r.parent_external_userid}/${r.student_code}`);
      }
    }
  }
  return { classes: seen.classes.size, teachers: seen.teachers.size, students: seen.students.size, parents: seen.parents.size };
}
