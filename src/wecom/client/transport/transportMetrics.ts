import { Counter, Histogram, type Registry } from "prom-client";

export interface TransportMetrics {
  requests: Counter<"endpoint" | "errcode">;
  duration: Histogram<"endpoint">;
}

/** Several clients may share one registry (two instances in a test), so reuse what is already registered. */
export function transportMetrics(registry: Registry): TransportMetrics {
  const requests =
    (registry.getSingleMetric("wecom_api_requests_total") as Counter<"endpoint" | "errcode"> | undefined) ??
    new Counter({
      name: "wecom_api_requests_total",
      help: "WeCom API calls by endpoint and errcode (or transport failure reason)",
      labelNames: ["endpoint", "errcode"] as const,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric("wecom_api_request_duration_seconds") as Histogram<"endpoint"> | undefined) ??
    new Histogram({
      name: "wecom_api_request_duration_seconds",
      help: "WeCom API call latency per attempt",
      labelNames: ["endpoint"] as const,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return { requests, duration };
}
