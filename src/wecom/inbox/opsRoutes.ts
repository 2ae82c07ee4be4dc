import Router from "@koa/router";
import type { Pool } from "pg";
import { z } from "zod";
import type { Clock } from "../../platform/clock";
import { NotFoundError } from "../../platform/errors";
import { routeChain } from "../../platform/http/route";
import { opsTokenGuard } from "./opsAuth";

/** Dead letters are work rows (migration 1767100000000); the event itself, as received, is in the event store. */
const listDeadSql = `
  SELECT w.id::text AS id, i.kind, w.attempts, w.last_error, i.received_at
  FROM wecom_inbox_work AS w JOIN wecom_inbox AS i ON i.id = w.id
  WHERE w.status = 'dead' ORDER BY w.id DESC LIMIT $1`;

/** A dead letter gets a fresh attempt budget: the operator has fixed the cause. */
const retrySql = `
  UPDATE wecom_inbox_work SET status = 'pending', attempts = 0, next_attempt_at = $2, locked_until = NULL
  WHERE id = $1 AND status = 'dead'
  RETURNING id::text AS id`;

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const retryParams = z.object({ id: z.string().regex(/^\d{1,18}$/, "must be an inbox id") });

/** Operator view of the inbox: list dead letters with their last error, and send one back for another try. */
export function inboxOpsRoutes(deps: { pool: Pool; clock: Clock; opsToken: string | undefined; wake: () => void }): Router {
  const router = new Router({ prefix: "/ops/inbox" });
  const route = routeChain(router);
  const auth = opsTokenGuard(deps.opsToken);

  route.get("/dead", {
    auth,
    query: listQuery,
    list: "inbox",
    handle: async ({ query }) => {
      const { rows } = await deps.pool.query(listDeadSql, [query.limit]);
      return {
        deadLetters: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          attempts: r.attempts,
          lastError: r.last_error,
          receivedAt: r.received_at,
        })),
      };
    },
  });

  route.post("/:id/retry", {
    auth,
    params: retryParams,
    handle: async ({ params }) => {
      const { rows } = await deps.pool.query(retrySql, [params.id, deps.clock.now()]);
      if (rows.length === 0) throw new NotFoundError("没有这条死信");
      deps.wake();
      return { id: params.id, status: "pending" };
    },
  });

  return router;
}
