import { WeComTransportError } from "./errors";

/**
 * Walks a cursor-paged WeCom list. A cursor that comes back twice would loop forever
 * (a known bug in other SCRMs), so it is an error instead.
 */
export async function* cursorPages<Page>(
  endpoint: string,
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  nextCursor: (page: Page) => string | undefined,
): AsyncGenerator<Page> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield page;
    const next = nextCursor(page);
    if (!next) return;
    if (seen.has(next)) throw new WeComTransportError(endpoint, "malformed", `cursor ${next} returned twice`);
    seen.add(next);
    cursor = next;
  }
}
