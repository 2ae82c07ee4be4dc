/**
 * Who is calling: console sessions (WeCom login), mini-program sessions, CSRF, session tokens.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { SESSION_COOKIE } from "./authenticate";
export { SAFE_METHODS } from "./csrf";
export { createAuth } from "./module";
export type { Auth } from "./module";
export { SessionTokens } from "./sessionToken";
