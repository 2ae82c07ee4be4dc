import { randomUUID } from "node:crypto";
import type { Logger } from "../logger";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: an upstream X-Request-Id when it looks sane (it is echoed and logged), else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && acceptable.test(header) ? header : randomUUID();
}

/**
 * ctx.state of a request: its id, and at `log` a logger bound to it. The
 * child logger is made when a line is first written through it: most
 * requests (WeCom's routine callbacks) write none, and a pino child with our
 * redaction costs more than the rest of the request's bookkeeping. A class
 * getter, not Object.defineProperty per request (that was tried and cost
 * more than the child it saved).
 */
export class RequestState {
  readonly requestId: string;
  #base: Logger;
  #log: Logger | undefined;

  constructor(requestId: string, base: Logger) {
    this.requestId = requestId;
    this.#base = base;
  }

  get log(): Logger {
    return (this.#log ??= this.#base.child({ requestId: this.requestId }));
  }

  /** A test or a middleware may bind its own logger. */
  set log(logger: Logger) {
    this.#log = logger;
  }
}
