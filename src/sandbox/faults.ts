import type { TokenStore } from "./state/tokens";

export interface FaultSpec {
  /** API path, e.g. "/cgi-bin/message/send". */
  path: string;
  /** Answer with this errcode instead of handling the call. */
  errcode?: number;
  /** Answer with this HTTP status (WeCom's gateway failing) instead of handling the call. */
  httpStatus?: number;
  /** Delay before answering (combined with the above, or alone to slow a real answer). */
  latencyMs?: number;
  /** How many calls the fault affects. */
  times: number;
  /**
   * The call IS handled (its effect applies on WeCom's side) and only the answer is lost: the latency is
   * spent after handling (past the client's timeout) and/or httpStatus replaces the reply. This is the
   * case that makes a blind retry of add_msg_template or webhook/send create a second one.
   */
  afterHandling?: boolean;
}

export type FaultOutcome = { latencyMs: number; errcode?: number; httpStatus?: number; afterHandling: boolean } | undefined;

/** Failures tests inject: busy errors, gateway errors, slow answers, early token expiry. */
export class Faults {
  private readonly pending: FaultSpec[] = [];

  constructor(private readonly tokens: TokenStore) {}

  inject(spec: FaultSpec): void {
    if (spec.times < 1) throw new Error("fault times must be ≥ 1");
    this.pending.push({ ...spec });
  }

  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Takes the first fault for this path, counting one use. */
  take(path: string): FaultOutcome {
    const index = this.pending.findIndex((f) => f.path === path);
    if (index < 0) return undefined;
    const fault = this.pending[index]!;
    fault.times -= 1;
    if (fault.times === 0) this.pending.splice(index, 1);
    return { latencyMs: fault.latencyMs ?? 0, errcode: fault.errcode, httpStatus: fault.httpStatus, afterHandling: fault.afterHandling ?? false };
  }
}
