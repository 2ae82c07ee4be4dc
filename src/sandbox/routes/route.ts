import type { SecretKind } from "../state/types";

export interface RouteInput {
  query: Record<string, string>;
  body: Record<string, unknown>;
}

/** One WeCom API: its path, which secrets' tokens may call it, and the handler. */
export interface SandboxRoute {
  method: "GET" | "POST";
  path: string;
  /** "public" = no access_token (gettoken, the robot webhook, the Finance SDK feed). */
  grants: readonly SecretKind[] | "public";
  handle(input: RouteInput): Record<string, unknown> | Promise<Record<string, unknown>>;
}

export const AGENT: readonly SecretKind[] = ["agent"];
export const DIRECTORY_READERS: readonly SecretKind[] = ["agent", "contact"];
export const CONTACT_SYNC: readonly SecretKind[] = ["contact"];
export const CUSTOMER_CONTACT: readonly SecretKind[] = ["customer", "agent"];
export const ARCHIVE: readonly SecretKind[] = ["archive"];
