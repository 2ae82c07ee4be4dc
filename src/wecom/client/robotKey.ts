import { createHash } from "node:crypto";

/**
 * A group robot named without its webhook key: the key is a credential (whoever holds it can post to the
 * group), so a count kept per robot — in memory or in another table — is keyed by this digest instead.
 */
export function robotKeyDigest(webhookKey: string): string {
  return createHash("sha256").update(webhookKey).digest("hex").slice(0, 32);
}
