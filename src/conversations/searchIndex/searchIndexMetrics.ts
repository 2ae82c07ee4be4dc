import { Counter, Gauge, type Registry } from "prom-client";

/** Back-fill progress for operators: how many messages still wait for the active index key, and what was done. */
export interface SearchIndexMetrics {
  pending: Gauge;
  indexed: Counter;
  failed: Counter;
}

export function createSearchIndexMetrics(registry: Registry): SearchIndexMetrics {
  return {
    pending: new Gauge({
      name: "archive_search_index_pending_messages",
      help: "Archived messages not yet indexed under the active search index key (back-fill and re-index after rotation)",
      registers: [registry],
    }),
    indexed: new Counter({ name: "archive_search_index_indexed_total", help: "Messages (re-)indexed by the back-fill", registers: [registry] }),
    failed: new Counter({
      name: "archive_search_index_failed_total",
      help: "Messages the back-fill could not index (body does not open with a configured data key)",
      registers: [registry],
    }),
  };
}
