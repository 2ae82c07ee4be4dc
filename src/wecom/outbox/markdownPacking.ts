/** A group robot's markdown message holds at most 4096 bytes of UTF-8 (path/91770 "markdown类型"). */
export const MARKDOWN_MAX_BYTES = 4096;

/** Joins sections under a header into as few messages as the byte limit allows; a section too long alone is cut with "…". */
export function packSections(header: string, sections: string[], maxBytes = MARKDOWN_MAX_BYTES): string[] {
  const messages: string[] = [];
  let current = header;
  for (const raw of sections) {
    const section = fitBytes(raw, maxBytes - Buffer.byteLength(header) - 2);
    const candidate = `${current}\n\n${section}`;
    if (Buffer.byteLength(candidate) > maxBytes && current !== header) {
      messages.push(current);
      current = `${header}\n\n${section}`;
    } else {
      current = candidate;
    }
  }
  if (current !== header) messages.push(current);
  return messages;
}

function fitBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  const chars = [...s];
  while (chars.length > 0 && Buffer.byteLength(chars.join("") + "…") > max) chars.pop();
  return chars.join("") + "…";
}
