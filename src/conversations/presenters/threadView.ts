import type { ThreadSummary } from "../queries/threadSummaries";
import { formatChinaTime } from "../../calendar";

export function threadView(t: ThreadSummary) {
  return {
    ...t,
    firstAt: t.firstAt.toISOString(),
    lastAt: t.lastAt.toISOString(),
    lastAtChina: formatChinaTime(t.lastAt),
  };
}
