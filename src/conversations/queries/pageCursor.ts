import { ValidationError } from "../../platform/errors";

/**
 * Opaque keyset cursors (base64url JSON). A tampered or foreign cursor is a
 * 400, never a crash or a silently different page.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor<K extends string>(cursor: string, fields: Record<K, "string" | "number">): Record<K, string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new ValidationError("翻页游标无效");
  }
  const out = {} as Record<K, string | number>;
  for (const [name, type] of Object.entries(fields) as [K, "string" | "number"][]) {
    const value = (parsed as Record<string, unknown> | null)?.[name];
    if (typeof value !== type) throw new ValidationError("翻页游标无效");
    out[name] = value as string | number;
  }
  return out;
}
