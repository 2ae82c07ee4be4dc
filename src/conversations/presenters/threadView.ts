import type { ThreadSummary } from "../queries/threadSummaries";
import { chinaTime } from "./messageText";

export function threadView(t: ThreadSummary) {
  return {
    ...t,
    firstAt: t.firstAt.toISOString(),
    lastAt: t.lastAt.toISOString(),
    lastAtChina: chinaTime(t.lastAt),
  };
}
