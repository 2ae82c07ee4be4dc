import { z } from "zod";

/** One row of a class roster import: a student in a class, a teacher's role in it, and optionally a parent. */
export const classRowSchema = z.object({
  class_code: z.string().trim().min(1).max(64),
  class_name: z.string().trim().min(1).max(100),
  campus_department_id: z.coerce.number().int().positive().optional(),
  subject: z.string().trim().max(32).optional(),
  teacher_userid: z.string().trim().max(64).optional(),
  teacher_role: z.enum(["head_teacher", "subject_teacher", "assistant"]).optional(),
  teacher_subject: z.string().trim().max(32).optional(),
  student_code: z.string().trim().max(64).optional(),
  student_name: z.string().trim().max(64).optional(),
  parent_external_userid: z.string().trim().max(64).optional(),
  relation: z.string().trim().max(16).optional(),
});

export type ClassRow = z.infer<typeof classRowSchema>;

export const classImportSchema = z.object({ rows: z.array(classRowSchema).min(1).max(20_000) });
