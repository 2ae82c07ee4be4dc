import { z } from "zod";
import { roles } from "../policies/actor";

export const grantRoleSchema = z
  .object({
    userid: z.string().min(1).max(64),
    role: z.enum(roles),
    departmentId: z.coerce.number().int().positive().nullable().default(null),
  })
  .refine((g) => (g.role === "hr" || g.role === "campus_head" ? g.departmentId !== null : true), {
    message: "hr 与 campus_head 角色必须指定所辖部门",
    path: ["departmentId"],
  })
  .refine((g) => (g.role === "hq_admin" ? g.departmentId === null : true), {
    message: "hq_admin 角色不限定部门",
    path: ["departmentId"],
  });

export type GrantRoleInput = z.infer<typeof grantRoleSchema>;

export const revokeRoleSchema = z.object({ id: z.coerce.number().int().positive() });

export const roleSeedSchema = z.array(grantRoleSchema);
