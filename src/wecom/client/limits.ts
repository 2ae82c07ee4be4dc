import { WeComLimitError } from "./errors";

/** WeCom counts most text limits in UTF-8 bytes: one Chinese character is 3 bytes. */
export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/** Character limits count Unicode code points, so an emoji is one character, not two. */
export function charCount(value: string): number {
  return [...value].length;
}

export function assertMaxBytes(field: string, value: string | undefined, max: number): void {
  if (value !== undefined && utf8Bytes(value) > max) {
    throw new WeComLimitError(field, `at most ${max} UTF-8 bytes`, utf8Bytes(value));
  }
}

export function assertCharsBetween(field: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  const n = charCount(value);
  if (n < min || n > max) throw new WeComLimitError(field, `${min}–${max} characters`, n);
}

/** Refuse, never truncate: batching is the caller's decision, so an oversized list is a bug to surface. */
export function assertCountBetween(
  field: string,
  items: readonly unknown[] | undefined,
  min: number,
  max: number,
): void {
  const n = items?.length ?? 0;
  if (items === undefined && min === 0) return;
  if (n < min || n > max) throw new WeComLimitError(field, `${min}–${max} items`, n);
}

export function assertIntBetween(field: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw new WeComLimitError(field, `an integer ${min}–${max}`, value);
  }
}

export function assertMatches(field: string, value: string, pattern: RegExp, description: string): void {
  if (!pattern.test(value)) throw new WeComLimitError(field, description, value);
}
