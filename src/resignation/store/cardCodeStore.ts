import type { EntityManager } from "typeorm";
import { returnedRows } from "../../platform/db/returnedRows";

/** The code WeCom answered the sending of a step's card with, for the approvers it reached. */
export interface SendCode {
  responseCode: string;
  recipients: string[];
  issuedAt: Date;
  usedAt: Date | null;
}

/** Keeps the send's code of a step's card (round); a repeated outcome for the same card keeps the first. */
export async function keepSendCode(
  manager: EntityManager,
  card: { stepId: string; round: number; responseCode: string; recipients: string[]; issuedAt: Date },
): Promise<void> {
  await manager.query(
    `INSERT INTO approval_card_code (response_code, source, step_id, round, recipients, issued_at) VALUES ($1, 'send', $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [card.responseCode, card.stepId, card.round, card.recipients, card.issuedAt],
  );
}

export async function sendCodeOf(manager: EntityManager, stepId: string, round: number): Promise<SendCode | null> {
  const rows: { response_code: string; recipients: string[]; issued_at: Date; used_at: Date | null }[] = await manager.query(
    `SELECT response_code, recipients, issued_at, used_at FROM approval_card_code WHERE step_id = $1 AND round = $2 AND source = 'send' FOR UPDATE`,
    [stepId, round],
  );
  const r = rows[0];
  return r ? { responseCode: r.response_code, recipients: r.recipients, issuedAt: r.issued_at, usedAt: r.used_at } : null;
}

/** Marks the send's code used; false when it already was (nobody uses a code twice). */
export async function spendSendCode(manager: EntityManager, responseCode: string, usedFor: string, now: Date): Promise<boolean> {
  const rows = await manager.query(
    `UPDATE approval_card_code SET used_at = $2, used_for = $3 WHERE response_code = $1 AND source = 'send' AND used_at IS NULL RETURNING 1`,
    [responseCode, now, usedFor],
  );
  return returnedRows(rows).length > 0;
}

/** Was this click's code used already (the click is a replay)? */
export async function clickCodeUsed(manager: EntityManager, responseCode: string): Promise<boolean> {
  return (await manager.query(`SELECT 1 FROM approval_card_code WHERE response_code = $1`, [responseCode])).length > 0;
}

/** Records a click's code as used for `usedFor`; false when that code was used before (a replayed click). */
export async function spendClickCode(
  manager: EntityManager,
  click: { responseCode: string; stepId: string; round: number; userids: string[]; usedFor: string },
  now: Date,
): Promise<boolean> {
  const rows = await manager.query(
    `INSERT INTO approval_card_code (response_code, source, step_id, round, recipients, issued_at, used_at, used_for)
     VALUES ($1, 'click', $2, $3, $4, $5, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
    [click.responseCode, click.stepId, click.round, click.userids, now, click.usedFor],
  );
  return rows.length > 0;
}
