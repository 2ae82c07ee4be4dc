import { createHash } from "node:crypto";

/**
 * Canonical JSON for hashing evidence: RFC 8785 (JCS) for the JSON values we
 * store — object keys sorted by UTF-16 code units, no whitespace, strings and
 * numbers serialised exactly as ECMAScript's JSON.stringify does (which is
 * what JCS specifies). Anyone can re-verify a dossier with any JCS library.
 *
 * Written here rather than taken from npm: `canonicalize` is ESM-only (our
 * build and jest are CommonJS), and the `json-stable-stringify` family is not
 * JCS and silently accepts values that have no JSON form.
 *
 * Object properties whose value is `undefined` are left out, as JSON.stringify
 * does, so a record hashes the same before and after a JSON round trip through
 * the database. Everything else without a faithful JSON form (NaN, Infinity,
 * bigint, functions, Date, Map, class instances, undefined inside arrays) is
 * refused: evidence must not depend on how a library happens to coerce it.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class NotCanonicalizable extends TypeError {
  constructor(path: string, what: string) {
    super(`canonical JSON: ${what} at ${path || "$"} has no JSON form`);
    this.name = "NotCanonicalizable";
  }
}

export function canonicalJson(value: unknown): string {
  return serialise(value, "$");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** SHA-256 over the canonical JSON of a value. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

function serialise(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new NotCanonicalizable(path, String(value));
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new NotCanonicalizable(path, typeof value);
  }
  if (Array.isArray(value)) {
    return `[${value
      .map((item, i) => {
        if (item === undefined) throw new NotCanonicalizable(`${path}[${i}]`, "undefined");
        return serialise(item, `${path}[${i}]`);
      })
      .join(",")}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new NotCanonicalizable(path, proto?.constructor?.name ?? "object");
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${serialise(record[k], `${path}.${k}`)}`);
  return `{${members.join(",")}}`;
}
