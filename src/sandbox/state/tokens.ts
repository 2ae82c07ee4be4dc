import { randomBytes } from "node:crypto";
import type { Clock } from "../../platform/clock";
import { SandboxApiError } from "../apiError";
import { ERR } from "../errcodes";
import type { SecretKind } from "./types";

export const TOKEN_LIFETIME_SECONDS = 7200;

interface IssuedToken {
  kind: SecretKind;
  expiresAt: number;
}

/**
 * access_token per secret, on the sandbox clock. Within its validity the same
 * token is handed out again (as WeCom does); expired tokens stay known so a
 * caller gets 42001 rather than 40014.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly current = new Map<SecretKind, string>();

  constructor(private readonly clock: Clock) {}

  issue(kind: SecretKind): { token: string; expiresIn: number } {
    const now = this.clock.now().getTime();
    const existing = this.current.get(kind);
    const issued = existing ? this.tokens.get(existing) : undefined;
    if (existing && issued && issued.expiresAt > now) {
      return { token: existing, expiresIn: Math.floor((issued.expiresAt - now) / 1000) };
    }
    const token = randomBytes(48).toString("base64url");
    this.tokens.set(token, { kind, expiresAt: now + TOKEN_LIFETIME_SECONDS * 1000 });
    this.current.set(kind, token);
    return { token, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  /** The secret kind behind a token, or the errcode WeCom would answer. */
  resolve(token: string | undefined): SecretKind {
    if (!token) throw new SandboxApiError(ERR.tokenMissing, "access_token missing");
    const issued = this.tokens.get(token);
    if (!issued) throw new SandboxApiError(ERR.invalidToken, "invalid access_token");
    if (issued.expiresAt <= this.clock.now().getTime()) {
      throw new SandboxApiError(ERR.tokenExpired, "access_token expired");
    }
    return issued.kind;
  }

  /** WeCom may expire tokens early; clients must refetch on 42001. */
  expireAll(): void {
    const now = this.clock.now().getTime();
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
  }
}
