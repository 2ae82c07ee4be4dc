export interface RecordedCall {
  at: Date;
  method: string;
  path: string;
  /** Query parameters with credentials replaced by "[REDACTED]". */
  query: Record<string, string>;
  body: unknown;
  /** errcode of the answer; undefined when the answer was not WeCom JSON (injected HTTP failure, 404). */
  errcode?: number;
  httpStatus: number;
  /** The JSON answered (e.g. per-customer errcodes of a transfer), so a test can tell which ids WeCom accepted. */
  response?: unknown;
}

const SECRET_PARAMS = ["access_token", "corpsecret", "key", "js_code", "code"];

/** Every API call the sandbox answered, for tests to assert on what the client really did. */
export class CallLog {
  readonly all: RecordedCall[] = [];

  record(call: RecordedCall): void {
    const query = { ...call.query };
    for (const name of SECRET_PARAMS) if (name in query) query[name] = "[REDACTED]";
    const body =
      call.body && typeof call.body === "object" && "secret" in call.body ? { ...call.body, secret: "[REDACTED]" } : call.body;
    this.all.push({ ...call, query, body });
  }

  callsTo(path: string): RecordedCall[] {
    return this.all.filter((c) => c.path === path);
  }

  clear(): void {
    this.all.length = 0;
  }
}
