import autocannon from "autocannon";
import { signedCallback, signedContactEvent } from "./signedEvents";

/**
 * Runs in its own process (forked by a bench) so the load generator does not
 * share the event loop with the server it measures. Every request takes the
 * next pre-generated encrypted event; every DUPLICATE_EVERY-th one repeats an
 * earlier event, as WeCom's redeliveries would.
 */
export interface DriveRequest {
  url: string;
  connections: number;
  durationSeconds: number;
  events: number;
  /** Shifts event ids so a warm-up never collides with the measured run. */
  idOffset: number;
  /** text: parents' messages to the app (the default); contact: the mixed contact events of signedContactEvent. */
  kind?: "text" | "contact";
}

export interface DriveResult {
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Requests handed to autocannon (including any still in flight when it stopped). */
  sent: number;
  /** Distinct events among them. */
  uniqueSent: number;
}

const DUPLICATE_EVERY = 20;

async function drive(request: DriveRequest): Promise<DriveResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const bodies = Array.from({ length: request.events }, (_, i) => {
    const id = request.idOffset + (i % DUPLICATE_EVERY === DUPLICATE_EVERY - 1 ? i - 7 : i);
    return { id, ...(request.kind === "contact" ? signedContactEvent(id, timestamp) : signedCallback(id, timestamp)) };
  });
  let cursor = 0;
  const seen = new Set<number>();
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationSeconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        setupRequest: (req) => {
          const next = bodies[cursor++ % bodies.length]!;
          seen.add(next.id);
          return { ...req, path: `/wecom/callback?${next.query}`, body: next.body };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    sent: cursor,
    uniqueSent: seen.size,
  };
}

process.once("message", (message: DriveRequest) => {
  drive(message).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`load driver failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
});
