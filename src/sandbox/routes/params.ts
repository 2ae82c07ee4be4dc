import { SandboxApiError } from "../apiError";
import { ERR } from "../errcodes";

/** Field checks that refuse the way WeCom does: invalid parameter, or content over its byte limit. */
function invalid(field: string, why: string): SandboxApiError {
  return new SandboxApiError(ERR.invalidParameter, `invalid ${field}: ${why}`);
}

export function requiredString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) throw invalid(field, "required string");
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalid(field, "must be a string");
  return value;
}

export function stringList(value: unknown, field: string, max: number, { required = false } = {}): string[] {
  if (value === undefined || value === null) {
    if (required) throw invalid(field, "required list");
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw invalid(field, "must be a list of strings");
  if (required && value.length === 0) throw invalid(field, "must not be empty");
  if (value.length > max) throw invalid(field, `at most ${max} entries`);
  return value as string[];
}

export function integer(value: unknown, field: string, { min, max, fallback }: { min?: number; max?: number; fallback?: number } = {}): number {
  if ((value === undefined || value === null || value === "") && fallback !== undefined) return fallback;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) throw invalid(field, "must be an integer");
  if (min !== undefined && n < min) throw invalid(field, `must be ≥ ${min}`);
  if (max !== undefined && n > max) throw invalid(field, `must be ≤ ${max}`);
  return n;
}

export function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(field, "required object");
  return value as Record<string, unknown>;
}

export function maxBytes(value: string, field: string, limit: number, code: number = ERR.contentTooLong): string {
  if (Buffer.byteLength(value, "utf8") > limit) throw new SandboxApiError(code, `${field} exceeds ${limit} bytes`);
  return value;
}

export function charsBetween(value: string, field: string, min: number, max: number): string {
  const length = [...value].length;
  if (length < min || length > max) throw invalid(field, `must be ${min}–${max} characters`);
  return value;
}
