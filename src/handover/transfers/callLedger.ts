import type { DataSource, EntityManager } from "typeorm";

export type CallEndpoint = "customer_on_job" | "customer_resigned" | "group_on_job" | "group_resigned";

export interface PendingCall {
  id: string;
  endpoint: CallEndpoint;
  leaverUserid: string;
  successorUserid: string;
  ids: string[];
  message: string | null;
}

/**
 * The record of every WeCom transfer call. A call is written here, with its
 * ids, and committed BEFORE it is made; the answer is recorded in the
 * transaction that holds the call's row lock while calling. A crash between
 * the two leaves the call pending and unlocked, and the next run sends it
 * again — WeCom answers an already started customer with 40129, which the
 * state machine reads as "waiting" — so nothing is sent twice and nothing is
 * forgotten.
 */
export async function recordIntendedCall(
  manager: EntityManager,
  call: Omit<PendingCall, "id">,
  at: Date,
): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO transfer_call (endpoint, leaver_userid, successor_userid, ids, message, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [call.endpoint, call.leaverUserid, call.successorUserid, call.ids, call.message, at],
  );
  return String(row.id);
}

/**
 * Sends every pending call once, one transaction per call; the row lock keeps
 * two instances from sending the same call at the same time. A transport
 * failure (the call may or may not have landed) leaves the call pending for
 * the next run and stops this one.
 */
export async function sendPendingCalls(
  dataSource: DataSource,
  endpoints: CallEndpoint[],
  send: (manager: EntityManager, call: PendingCall) => Promise<void>,
): Promise<number> {
  let sent = 0;
  for (;;) {
    const done = await dataSource.transaction(async (manager) => {
      // The oldest pending call, locked (SKIP LOCKED: another instance takes the next), read through
      // transfer_call_pending alone whatever the statistics say (migration 1767020000002).
      const [row] = await manager.query(`SELECT id, endpoint, leaver_userid, successor_userid, ids, message FROM transfer_call_next_pending($1)`, [endpoints]);
      if (!row) return true;
      await send(manager, {
        id: String(row.id),
        endpoint: row.endpoint,
        leaverUserid: row.leaver_userid,
        successorUserid: row.successor_userid,
        ids: row.ids,
        message: row.message,
      });
      return false;
    });
    if (done) return sent;
    sent++;
  }
}

export async function recordAnswer(
  manager: EntityManager,
  callId: string,
  answer: { state: "answered" | "failed"; errcode: number; response: unknown },
  at: Date,
): Promise<void> {
  await manager.query(`UPDATE transfer_call SET state = $2, errcode = $3, response = $4, answered_at = $5 WHERE id = $1`, [
    callId,
    answer.state,
    answer.errcode,
    JSON.stringify(answer.response),
    at,
  ]);
}
