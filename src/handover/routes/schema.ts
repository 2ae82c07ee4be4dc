import { z } from "zod";

const userid = z.string().min(1).max(64);
const picks = z.record(z.string().min(1).max(128), userid.nullable());

/** The leaver is the URL's, and only the URL's: no body below names one. */
export const leaverParams = z.object({ leaver: userid });

export const overridesBody = z.object({
  parents: picks.optional(),
  classes: picks.optional(),
  groups: picks.optional(),
});
export type OverridesInput = z.infer<typeof overridesBody>;

export const onJobBody = z.object({ message: z.string().min(1).max(200).optional() });
export type OnJobInput = z.infer<typeof onJobBody>;
