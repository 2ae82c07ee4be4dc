import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Synchronizer CSRF token bound to the session: an HMAC of the session token,
 * so nothing is stored and a token stolen from one session is useless in
 * another. Pages embed it in every form; scripts send it as X-CSRF-Token.
 */
export function csrfTokenFor(secret: string, sessionToken: string): string {
  return createHmac("sha256", secret).update(`csrf:${sessionToken}`).digest("base64url");
}

export function validCsrfToken(secret: string, sessionToken: string, given: unknown): boolean {
  if (typeof given !== "string" || given.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(secret, sessionToken));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
