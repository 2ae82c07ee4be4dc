/**
 * One error model for the whole service. Domain code throws these; the HTTP
 * error middleware maps them to `{ error: { code, message, details? } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(message = "请求参数有误", details?: FieldProblem[] | unknown) {
    super(400, "validation_failed", message, details);
  }
}

export class AuthenticationError extends AppError {
  constructor(message = "请先登录") {
    super(401, "unauthenticated", message);
  }
}

export class AuthorizationError extends AppError {
  constructor(message = "没有权限执行此操作") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = "资源不存在") {
    super(404, "not_found", message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, "conflict", message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = "请求体过大") {
    super(413, "payload_too_large", message);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    message = "请求过于频繁，请稍后再试",
    readonly retryAfterSeconds?: number,
  ) {
    super(429, "rate_limited", message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = "服务暂不可用，请稍后再试") {
    super(503, "unavailable", message);
  }
}
