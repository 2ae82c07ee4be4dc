import { TransportError } from "../apiError";
import type { HttpTransport, KeyValueStorage } from "../api";

/**
 * Node adapters for the API client: lets tests (and the server's end-to-end
 * test) drive the exact client the mini-program uses against a running server.
 * Typed structurally so this file compiles without DOM or Node typings.
 */

interface FetchResponseLike {
  status: number;
  headers: { forEach(callback: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: unknown },
) => Promise<FetchResponseLike>;

interface TimeoutSignalFactory {
  timeout(ms: number): unknown;
}

export function createFetchTransport(fetchImpl?: FetchLike): HttpTransport {
  const g = globalThis as unknown as { fetch?: FetchLike; AbortSignal?: TimeoutSignalFactory };
  const doFetch = fetchImpl ?? g.fetch;
  if (!doFetch) throw new Error("createFetchTransport: no fetch available (Node ≥ 18 has one)");
  return async (req) => {
    let res: FetchResponseLike;
    try {
      res = await doFetch(req.url, {
        method: req.method,
        headers: req.header,
        body: req.data === undefined ? undefined : JSON.stringify(req.data),
        signal: g.AbortSignal?.timeout(req.timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      throw new TransportError(name === "TimeoutError" || name === "AbortError" ? "timeout" : "network", String(err));
    }
    const header: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      header[key] = value;
    });
    const text = await res.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (e.g. a proxy error page): keep the text; the client maps the status.
    }
    return { statusCode: res.status, data, header };
  };
}

export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}
