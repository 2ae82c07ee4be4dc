/**
 * A person's documents over their working life beyond the resignation: teachers' qualification reminders.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { createPeople } from "./module";
export type { People } from "./module";
