/** Only our own console paths may be a post-login destination (no open redirect). */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !/^\/console(\/|$|\?)/.test(next) || next.includes("//") || next.includes("\\")) return "/console";
  return next;
}
