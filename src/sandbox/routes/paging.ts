import { SandboxApiError } from "../apiError";
import { ERR } from "../errcodes";

/** Opaque cursors: an offset the client must hand back untouched. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`sandbox:${offset}`).toString("base64url");
}

export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === null || cursor === "") return 0;
  const match = typeof cursor === "string" ? /^sandbox:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString()) : null;
  if (!match) throw new SandboxApiError(ERR.invalidParameter, "invalid cursor");
  return Number(match[1]);
}

/** One page of `items` from the cursor; next_cursor is empty on the last page. */
export function page<T>(items: T[], cursor: unknown, size: number): { items: T[]; nextCursor: string } {
  return pageAt(items, decodeCursor(cursor), size);
}

export function pageAt<T>(items: T[], offset: number, size: number): { items: T[]; nextCursor: string } {
  const end = offset + size;
  return { items: items.slice(offset, end), nextCursor: end < items.length ? encodeCursor(end) : "" };
}
