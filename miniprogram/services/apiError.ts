import type { FieldError } from "./types";

/**
 * The one error type pages see. `message` is always Simplified Chinese and safe
 * to show as-is; `details` carries per-field messages for forms.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code: string,
    readonly details: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
    // The mini-program compiler may down-level classes to ES5, where extending Error loses the prototype.
    Object.setPrototypeOf(this, ApiError.prototype);
  }

  /** Field path → message, for showing server validation next to the inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (!(d.path in out)) out[d.path] = d.message;
    return out;
  }
}

/** A request that got no HTTP answer. Transports reject with this. */
export class TransportError extends Error {
  constructor(
    readonly kind: "network" | "timeout",
    message: string = kind,
  ) {
    super(message);
    this.name = "TransportError";
    Object.setPrototypeOf(this, TransportError.prototype);
  }
}

export const MESSAGES = {
  network: "网络连接不太稳定，请检查网络后再试一次",
  timeout: "服务器响应有点慢，请稍后再试",
  rateLimited: "操作有些频繁，请稍后再试",
  server: "服务暂时不可用，请稍后再试。你填写的内容不会丢失",
  loginFailed: "企业微信登录没有成功，请在企业微信中重新打开小程序",
  sessionExpired: "登录状态已失效，请重新打开小程序",
  generic: "请求没有成功，请稍后再试",
} as const;

const FALLBACK_BY_STATUS: Record<number, string> = {
  400: "提交的信息需要调整，请检查后再试",
  403: "你没有查看此内容的权限",
  404: "没有找到相关内容",
  409: "当前状态已经变化，请刷新后再试",
  413: "内容太大了，请精简后再试",
};

export function fromTransportFailure(err: unknown): ApiError {
  const kind = err instanceof TransportError ? err.kind : "network";
  return new ApiError(MESSAGES[kind], 0, kind);
}

function headerValue(header: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const key = Object.keys(header).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : header[key];
  return typeof value === "string" ? value : undefined;
}

function normalizeDetails(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  const out: FieldError[] = [];
  for (const d of raw) {
    if (!d || typeof d !== "object") continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof message !== "string") continue;
    const p = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
    out.push({ path: p, message });
  }
  return out;
}

/** Maps a non-2xx answer to an ApiError with a message fit for the person using the app. */
export function fromResponse(res: { statusCode: number; data: unknown; header?: Record<string, unknown> }): ApiError {
  const body = res.data && typeof res.data === "object" ? (res.data as { error?: unknown }).error : undefined;
  const error = body && typeof body === "object" ? (body as { code?: unknown; message?: unknown; details?: unknown }) : {};
  const code = typeof error.code === "string" ? error.code : `http_${res.statusCode}`;
  const serverMessage = typeof error.message === "string" && error.message.trim() ? error.message : undefined;

  if (res.statusCode === 429) {
    const seconds = Number(headerValue(res.header, "retry-after"));
    const retryAfter = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
    const message = retryAfter ? `操作有些频繁，请 ${retryAfter} 秒后再试` : MESSAGES.rateLimited;
    return new ApiError(message, 429, code, [], retryAfter);
  }
  // 5xx text is for operators, not for someone in the middle of resigning.
  if (res.statusCode >= 500) return new ApiError(MESSAGES.server, res.statusCode, code);
  if (res.statusCode === 401) return new ApiError(serverMessage ?? MESSAGES.sessionExpired, 401, code);
  const message = serverMessage ?? FALLBACK_BY_STATUS[res.statusCode] ?? MESSAGES.generic;
  return new ApiError(message, res.statusCode, code, normalizeDetails(error.details));
}
