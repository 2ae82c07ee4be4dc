/**
 * The one format of our key rings (the archive's data keys, the search
 * index's HMAC keys): a JSON object {"<key id>": "<base64 key>"} plus an
 * optional active id (default: the first listed). Parsing lives here once so
 * both rings refuse the same malformed values with the same words.
 */
export function parseKeyRingJson(
  variable: string,
  raw: string,
  activeKeyId: string | undefined,
  fail: (message: string) => Error,
): { keys: Record<string, Buffer>; activeKeyId: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw fail(`${variable} is not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw fail(`${variable} must be a JSON object {"<key id>": "<base64 key>"}`);
  }
  const keys: Record<string, Buffer> = {};
  for (const [id, value] of Object.entries(parsed)) {
    if (typeof value !== "string") throw fail(`${variable}: key "${id}" must be a base64 string`);
    keys[id] = Buffer.from(value, "base64");
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw fail(`${variable} holds no key`);
  return { keys, activeKeyId: activeKeyId ?? ids[0]! };
}
