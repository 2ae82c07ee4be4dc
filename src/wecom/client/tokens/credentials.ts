import { createHash } from "node:crypto";
import { MissingSecretError } from "../errors";
import type { SecretKind, WeComClientSettings } from "../settings";

/** The secret a kind resolves to, and the key its token is stored under. */
export interface Credential {
  /** The kind whose secret is really used (customer falls back to agent). */
  kind: SecretKind;
  secret: string;
  corpId: string;
  fingerprint: string;
}

export function secretFingerprint(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * customer → agent when no 客户联系 secret is set (the app is then listed under 可调用应用);
 * contact and archive have no substitute, so their absence is a MissingSecretError.
 */
export function resolveCredential(settings: WeComClientSettings, requested: SecretKind): Credential {
  const kind: SecretKind = requested === "customer" && !settings.secrets.customer ? "agent" : requested;
  const secret = settings.secrets[kind];
  if (!secret) throw new MissingSecretError(requested);
  return { kind, secret, corpId: settings.corpId, fingerprint: secretFingerprint(secret) };
}
