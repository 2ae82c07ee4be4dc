import { ValidationError } from "../../platform/errors";
import type { SecretKind } from "./settings";

/** Base of every failure that comes from talking to WeCom (not from our own input checks). */
export class WeComError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** WeCom answered with `errcode != 0`. Callers branch on `errcode`, never on the message. */
export class WeComApiError extends WeComError {
  constructor(
    endpoint: string,
    readonly errcode: number,
    readonly errmsg: string,
    message = `WeCom ${endpoint} failed: errcode ${errcode} ${errmsg}`,
  ) {
    super(message, endpoint);
  }
}

/**
 * No usable WeCom answer: the connection could not be opened ("not_sent": nothing reached WeCom), the
 * connection broke or timed out after the request went out, an HTTP status other than 200, or a body that
 * is not WeCom JSON.
 */
export class WeComTransportError extends WeComError {
  constructor(
    endpoint: string,
    readonly reason: "not_sent" | "network" | "timeout" | "http_status" | "malformed",
    detail: string,
    readonly httpStatus?: number,
  ) {
    super(`WeCom ${endpoint} unreachable (${reason}): ${detail}`, endpoint);
  }
}

/**
 * A call that must not run twice (add_msg_template, webhook/send, a transfer…) went out and no answer came
 * back (timeout, broken connection, gateway 5xx): WeCom may or may not have done it. The transport does not
 * repeat it; the caller reconciles (looks the result up) or records the unknown outcome for a person.
 */
export class WeComOutcomeUnknownError extends WeComTransportError {
  readonly outcomeUnknown = true;
  constructor(cause: WeComTransportError) {
    super(cause.endpoint, cause.reason, `outcome unknown, not retried: ${cause.message}`, cause.httpStatus);
  }
}

/**
 * The deployment is misconfigured (wrong secret, wrong corp id, server IP not whitelisted).
 * Retrying cannot help and an operator must act, so the message says exactly what to fix.
 */
export class WeComConfigurationError extends WeComApiError {
  constructor(endpoint: string, errcode: number, errmsg: string, problem: string) {
    super(endpoint, errcode, errmsg, `${problem} (WeCom errcode ${errcode} on ${endpoint}: ${errmsg})`);
  }
}

const secretVariable: Record<SecretKind, string> = {
  agent: "WECOM_AGENT_SECRET",
  contact: "WECOM_CONTACT_SECRET",
  customer: "WECOM_CUSTOMER_SECRET",
  archive: "WECOM_ARCHIVE_SECRET",
};

/** Turns the errcodes that mean "fix the configuration" into a WeComConfigurationError; other errors pass through. */
export function asConfigurationError(err: unknown, kind: SecretKind): unknown {
  if (!(err instanceof WeComApiError) || err instanceof WeComConfigurationError) return err;
  const problem =
    err.errcode === 40001
      ? `invalid secret for ${kind}: check ${secretVariable[kind]}`
      : err.errcode === 40013
        ? "invalid corpid: check WECOM_CORP_ID"
        : err.errcode === 60020
          ? "server IP not in WeCom whitelist: add this server's egress IP to the app's 企业可信IP"
          : undefined;
  return problem ? new WeComConfigurationError(err.endpoint, err.errcode, err.errmsg, problem) : err;
}

/** An API needs a secret this deployment does not have (e.g. the contact-sync secret for user/update). */
export class MissingSecretError extends Error {
  constructor(readonly kind: SecretKind) {
    super(`no ${kind} secret configured (${secretVariable[kind]} is unset)`);
    this.name = "MissingSecretError";
  }
}

/** A request broke a documented WeCom limit; refused before any call so nothing is half-sent or silently cut. */
export class WeComLimitError extends ValidationError {
  constructor(
    readonly field: string,
    readonly limit: string,
    readonly actual: number | string,
  ) {
    super(`${field} 超出企业微信限制：${limit}（实际 ${actual}）`, [
      { path: field, message: `must be ${limit}, got ${actual}` },
    ]);
  }
}
