import type { EntityManager } from "typeorm";
import { enqueueWeComMessage } from "../../wecom";
import type { OutboxKind, OutboxMessage } from "./outboxMessage";

/** Which approval card a message is, or updates. */
export interface CardRef {
  stepId: string;
  /** The step's key (department_head, it, hr): how the dossier names a step. */
  step: string;
  round: number;
  /** For an update: whose response_code it spends, the card's sending's or a click's. */
  code?: "send" | "click";
}

/** The outbox topic resignation queues under and hears outcomes on (see messageOutcomes.ts). */
export const RESIGNATION_TOPIC = "resignation";
/** A message that never reached WeCom is given up after this many attempts (and the dossier says so). */
const GIVE_UP_AFTER = 6;

/**
 * Queue a message in the caller's transaction: it exists (and is sent) only if that transaction commits.
 * A bot reply answers a question: asking "进度" twice must give two answers, so it goes without WeCom's
 * duplicate check (which would swallow the identical second reply) and is never resent after an unknown
 * outcome (the member can ask again). Every other message is one logical message: sent with the duplicate
 * check, so a resend after an unknown outcome is dropped by WeCom if the first copy arrived.
 */
export async function enqueueMessage(
  manager: EntityManager,
  caseId: string | null,
  kind: OutboxKind,
  message: OutboxMessage,
  now: Date,
  /** An approval card, or an update of one: the step and round it belongs to, given back with the outcome. */
  card?: CardRef,
): Promise<void> {
  await enqueueWeComMessage(
    manager,
    { topic: RESIGNATION_TOPIC, ref: { caseId, kind, ...card }, message, duplicateCheck: kind !== "bot_reply", giveUpAfter: GIVE_UP_AFTER },
    now,
  );
}
