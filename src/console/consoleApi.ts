import type { Context } from "koa";
import { AppError } from "../platform/errors";
import { sessionOf } from "./auth/consoleSession";

/**
 * The console renders what the service's own HTTP API answers, called on the
 * loopback with the signed-in person's session as a bearer token. Every
 * page thereby goes through the API's validation, authorize() policies and
 * presenters — the console holds no business rules of its own.
 */
export class ConsoleApi {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  static for(ctx: Context): ConsoleApi {
    const socket = ctx.req.socket;
    const host = socket.localAddress?.includes(":") ? `[${socket.localAddress}]` : socket.localAddress;
    return new ConsoleApi(`http://${host}:${socket.localPort}`, sessionOf(ctx).token);
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  /** GET that treats 404 as "absent" (e.g. a leaver without a plan, a capability not deployed). */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return undefined;
      throw err;
    }
  }

  send<T>(method: "POST" | "PUT" | "PATCH", path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body);
  }

  remove<T>(path: string): Promise<T> {
    return this.call<T>("DELETE", path);
  }

  /** A body that is not JSON (a CSV file), sent as it is with its content type. */
  sendText<T>(method: "POST" | "PUT", path: string, text: string, contentType: string): Promise<T> {
    return this.call<T>(method, path, text, contentType);
  }

  /** A file the API serves (not JSON): its bytes and the headers that name it; an error answer throws like call(). */
  async download(path: string): Promise<{ contentType: string; disposition: string | null; body: Buffer }> {
    const res = await fetch(`${this.base}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!res.ok) {
      const parsed = safeJson(await res.text()) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
      const error = typeof parsed === "object" ? parsed?.error : undefined;
      throw new AppError(res.status, error?.code ?? "api_error", error?.message ?? `接口错误（${res.status}）`, error?.details);
    }
    return {
      contentType: res.headers.get("content-type") ?? "application/octet-stream",
      disposition: res.headers.get("content-disposition"),
      body: Buffer.from(await res.arrayBuffer()),
    };
  }

  private async call<T>(method: string, path: string, body?: unknown, rawType?: string): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "Content-Type": rawType ?? "application/json" }) },
      body: body === undefined ? undefined : rawType ? String(body) : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new AppError(res.status, error?.code ?? "api_error", error?.message ?? `接口错误（${res.status}）`, error?.details);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
