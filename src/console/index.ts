/**
 * The HR console: server-rendered pages over the other capabilities' public interfaces.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { createConsole } from "./module";
