import type { OutboxMessage as WeComOutboxMessage } from "../../wecom";

/** A message to members, decided inside a transaction and sent by the WeCom outbox after it commits. */
export type OutboxMessage = Exclude<WeComOutboxMessage, { type: "robot_markdown" }>;

/** What to record once a message went out (besides the dossier entry). */
export type OutboxKind = "bot_reply" | "approval_card" | "card_update" | "employee_notice" | "certificate_delivery" | "hr_notice" | "reminder";
