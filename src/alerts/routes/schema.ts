import { z } from "zod";

export const alertIdSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,18}$/, "无效的预警编号") });
export const listAlertsSchema = z.object({
  status: z.enum(["open", "frozen", "freeze_pending_it", "false_positive"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const falsePositiveBody = z.object({ reason: z.string().trim().min(1).max(500) });
export const branchIdSchema = z.object({ branchId: z.coerce.number().int().positive() });
/** The rules themselves are validated by riskConfigSchema when saved (with the branch id from the path). */
export const saveSettingsBody = z.object({ rules: z.record(z.string(), z.unknown()), notifier: z.record(z.string(), z.unknown()).default({}) });
