import { z } from "zod";

const userid = z.string().min(1).max(64);
const picks = z.record(z.string().min(1).max(128), userid.nullable());

export const leaverParams = z.object({ leaver: userid });

export const overridesSchema = leaverParams.extend({
  parents: picks.optional(),
  classes: picks.optional(),
  groups: picks.optional(),
});
export type OverridesInput = z.infer<typeof overridesSchema>;

export const onJobSchema = leaverParams.extend({ message: z.string().min(1).max(200).optional() });
export type OnJobInput = z.infer<typeof onJobSchema>;
