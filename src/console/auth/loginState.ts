import { randomInt, timingSafeEqual } from "node:crypto";
import { LOGIN_STATE_PATTERN } from "../../wecom";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** 32 characters of 62: ~190 bits, well inside WeCom's 128-byte limit. */
const LENGTH = 32;

/**
 * A fresh login `state` in WeCom's alphabet (a-zA-Z0-9, path/91022). base64url would add '-' and '_', which the
 * OAuth page does not promise to return.
 */
export function newLoginState(): string {
  let out = "";
  for (let i = 0; i < LENGTH; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** The state WeCom brought back equals the one this browser was given (constant time; malformed never matches). */
export function sameLoginState(expected: string | undefined, returned: string): boolean {
  if (!expected || !LOGIN_STATE_PATTERN.test(returned) || expected.length !== returned.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(returned));
}
