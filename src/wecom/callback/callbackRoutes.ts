import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import type { Clock } from "../../platform/clock";
import { AppError, ServiceUnavailableError } from "../../platform/errors";
import { markRoutine } from "../../platform/http/accessLog";
import { publicAccess } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { Logger } from "../../platform/logger";
import type { CallbackCrypto } from "../crypto/callbackCrypto";
import { GroupCommitOverloaded, GroupCommitTimeout } from "../inbox/groupCommit";
import type { InboxMetrics } from "../inbox/inboxMetrics";
import type { InboxWriter } from "../inbox/inboxWriter";
import { CallbackRejected } from "../crypto/callbackRejected";
import { encryptOf, openEventCallback, openUrlVerification, signedWith, type CallbackGuard } from "./openCallback";
import { readRawBody } from "./readRawBody";

/** One callback URL and the pair it verifies with (callbackEndpoints.ts). */
export interface CallbackRoute {
  name: string;
  path: string;
  setting: string;
  crypto: CallbackCrypto;
}

export interface CallbackRouteDeps {
  endpoints: CallbackRoute[];
  clock: Clock;
  windowSeconds: number;
  maxBytes: number;
  writer: InboxWriter;
  metrics: InboxMetrics;
  logger: Logger;
}

/**
 * WeCom's callback URL. GET answers the URL check with the bare plaintext.
 * POST verifies and stores the event in the inbox before answering an empty
 * 200, so an acknowledged event is never lost; handling happens later in the
 * worker, well inside WeCom's 5 s. A redelivery is also a 200. Refusals are
 * 4xx and store nothing; an unavailable database is a 503 so WeCom retries.
 */
/** The signature parameters are checked by openCallback, which names WeCom's own refusal reasons. */
const callbackQuery = z.object({ msg_signature: z.unknown().optional(), timestamp: z.unknown().optional(), nonce: z.unknown().optional(), echostr: z.unknown().optional() });

export function wecomCallbackRoutes(deps: CallbackRouteDeps): Router {
  const router = new Router();
  const route = routeChain(router);
  // WeCom signs every callback; the signature (not a session) is the caller's proof, checked by the handler.
  const auth = publicAccess("WeCom callback, signature verified by the handler");
  const log = (ctx: Context): Logger => (ctx.state.log as Logger | undefined) ?? deps.logger;

  for (const endpoint of deps.endpoints) {
    const guard = (): CallbackGuard => ({
      crypto: endpoint.crypto,
      windowSeconds: deps.windowSeconds,
      nowMs: deps.clock.now().getTime(),
    });
    /**
     * Only the reason is logged: never the query's signature, the body or the ciphertext. A bad signature
     * says which setting to align: another URL's pair if it is signed with that one (the app's callback URL
     * points at the wrong path), or this URL's own setting when no configured pair matches.
     */
    const refuse = (ctx: Context, err: unknown, signed?: { query: Parameters<typeof signedWith>[0]; encrypt?: string }): never => {
      if (err instanceof AppError && err.status < 500) {
        deps.metrics.countCallback("rejected");
        const reason = (err.details as { reason?: string } | undefined)?.reason ?? err.code;
        const line: Record<string, unknown> = { reason, status: err.status, url: endpoint.path };
        let message = "wecom callback rejected";
        if (err instanceof CallbackRejected && err.reason === "bad_signature" && signed) {
          const other = deps.endpoints.find((e) => e !== endpoint && signedWith(signed.query, signed.encrypt, e.crypto));
          if (other) {
            line.signedFor = other.path;
            message = `wecom callback rejected: signed with the Token of ${other.path} (${other.setting}), not of ${endpoint.path} (${endpoint.setting}); point that WeCom app's callback URL at ${other.path}, or set ${endpoint.setting} to its pair`;
          } else {
            message = `wecom callback rejected: the signature matches no configured Token; set ${endpoint.setting} to the Token and EncodingAESKey shown for ${endpoint.path} in WeCom's admin console (接收事件服务器)`;
          }
        }
        log(ctx).warn(line, message);
      }
      throw err;
    };

    route.get(endpoint.path, {
      auth,
      query: callbackQuery,
      handle: ({ ctx, query }) => {
        try {
          ctx.type = "text/plain";
          ctx.body = openUrlVerification(query, guard());
        } catch (err) {
          refuse(ctx, err, { query, encrypt: typeof query.echostr === "string" ? query.echostr.replace(/ /g, "+") : undefined });
        }
      },
    });

    route.post(endpoint.path, {
      auth,
      query: callbackQuery,
      handle: async ({ ctx, query }) => {
        let opened;
        let raw: string | undefined;
        try {
          raw = (await readRawBody(ctx.req, deps.maxBytes)).toString("utf8");
          opened = openEventCallback(query, raw, guard());
        } catch (err) {
          refuse(ctx, err, { query, encrypt: raw === undefined ? undefined : encryptOf(raw) });
        }
        let outcome;
        try {
          outcome = await deps.writer.insert(opened!);
        } catch (err) {
          // A slow or overloaded database is a warning (WeCom retries into a duplicate); anything else is an error.
          // Only the kind and the cause are logged, never the event.
          const busy = err instanceof GroupCommitTimeout || err instanceof GroupCommitOverloaded;
          // Not the whole error: PostgreSQL's detail/where fields quote the refused value (a parent's message).
          const { message, code } = err as { message?: string; code?: string };
          log(ctx)[busy ? "warn" : "error"]({ cause: message, code, kind: opened!.kind }, "wecom callback could not be stored; asking WeCom to retry");
          throw new ServiceUnavailableError();
        }
        deps.metrics.countCallback(outcome);
        // Counted above (wecom_callback_events_total); a stored or repeated event needs no info line of its own.
        markRoutine(ctx);
        // WeCom treats an empty 200 as "received, no reply"; anything else non-200 is retried.
        ctx.status = 200;
        ctx.body = "";
      },
    });
  }

  return router;
}
