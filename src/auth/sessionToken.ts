import { createHmac, timingSafeEqual } from "node:crypto";
import { csrfTokenFor, validCsrfToken } from "./csrf";

export type SessionAudience = "mp" | "console";

export interface SessionClaims {
  sub: string;
  aud: SessionAudience;
  iat: number;
  exp: number;
}

export class InvalidSession extends Error {
  constructor(readonly reason: "malformed" | "bad_signature" | "expired" | "wrong_audience") {
    super(`invalid session: ${reason}`);
  }
}

/**
 * Compact HMAC-signed session tokens bound to a WeCom userid. Short-lived;
 * nothing secret inside, so the mini-program may hold it.
 */
export class SessionTokens {
  constructor(private readonly secret: string) {}

  issue(userid: string, audience: SessionAudience, now: Date, ttlSeconds: number): string {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: SessionClaims = { sub: userid, aud: audience, iat, exp: iat + ttlSeconds };
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  verify(token: string, audience: SessionAudience, now: Date): SessionClaims {
    const [payload, signature, extra] = token.split(".");
    if (!payload || !signature || extra !== undefined) throw new InvalidSession("malformed");
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidSession("bad_signature");
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      throw new InvalidSession("malformed");
    }
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") throw new InvalidSession("malformed");
    if (claims.aud !== audience) throw new InvalidSession("wrong_audience");
    if (claims.exp <= Math.floor(now.getTime() / 1000)) throw new InvalidSession("expired");
    return claims;
  }

  /** The CSRF token that goes with a cookie session (see csrf.ts). */
  csrfToken(sessionToken: string): string {
    return csrfTokenFor(this.secret, sessionToken);
  }

  validCsrf(sessionToken: string, given: unknown): boolean {
    return validCsrfToken(this.secret, sessionToken, given);
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}
