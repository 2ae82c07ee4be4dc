import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import type { Clock } from "../../platform/clock";
import { AppError, ServiceUnavailableError } from "../../platform/errors";
import { publicAccess } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { Logger } from "../../platform/logger";
import type { CallbackCrypto } from "../crypto/callbackCrypto";
import type { InboxMetrics } from "../inbox/inboxMetrics";
import type { InboxWriter } from "../inbox/inboxWriter";
import { openEventCallback, openUrlVerification, type CallbackGuard } from "./openCallback";
import { readRawBody } from "./readRawBody";

export interface CallbackRouteDeps {
  crypto: CallbackCrypto;
  clock: Clock;
  windowSeconds: number;
  maxBytes: number;
  writer: InboxWriter;
  metrics: InboxMetrics;
  logger: Logger;
  /** Nudges the inbox worker once a new event is stored. */
  onAccepted: () => void;
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
  const guard = (): CallbackGuard => ({
    crypto: deps.crypto,
    windowSeconds: deps.windowSeconds,
    nowMs: deps.clock.now().getTime(),
  });
  const log = (ctx: Context): Logger => (ctx.state.log as Logger | undefined) ?? deps.logger;
  /** Only the reason is logged: never the query's signature, the body or the ciphertext. */
  const refuse = (ctx: Context, err: unknown): never => {
    if (err instanceof AppError && err.status < 500) {
      deps.metrics.countCallback("rejected");
      const reason = (err.details as { reason?: string } | undefined)?.reason ?? err.code;
      log(ctx).warn({ reason, status: err.status }, "wecom callback rejected");
    }
    throw err;
  };

  route.get("/wecom/callback", {
    auth,
    query: callbackQuery,
    handle: ({ ctx, query }) => {
      try {
        ctx.type = "text/plain";
        ctx.body = openUrlVerification(query, guard());
      } catch (err) {
        refuse(ctx, err);
      }
    },
  });

  route.post("/wecom/callback", {
    auth,
    query: callbackQuery,
    handle: async ({ ctx, query }) => {
      let opened;
      try {
        const body = await readRawBody(ctx.req, deps.maxBytes);
        opened = openEventCallback(query, body.toString("utf8"), guard());
      } catch (err) {
        refuse(ctx, err);
      }
      let outcome;
      try {
        outcome = await deps.writer.insert(opened!);
      } catch (err) {
        log(ctx).error({ err, kind: opened!.kind }, "wecom callback could not be stored; asking WeCom to retry");
        throw new ServiceUnavailableError();
      }
      deps.metrics.countCallback(outcome);
      if (outcome === "accepted") deps.onAccepted();
      // WeCom treats an empty 200 as "received, no reply"; anything else non-200 is retried.
      ctx.status = 200;
      ctx.body = "";
    },
  });

  return router;
}
