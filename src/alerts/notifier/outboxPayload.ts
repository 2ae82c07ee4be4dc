import type { ButtonInteractionCard } from "../../wecom";

/** A notification decided in the detector's transaction and sent after commit. */
export type AlertOutboxPayload =
  /** To the branch's group robot (its webhook key). */
  | { type: "markdown"; webhookKey: string; content: string }
  | { type: "card"; touser: string[]; card: ButtonInteractionCard }
  | { type: "text"; touser: string[]; content: string };

export type OutboxPurpose = "alert" | "digest" | "it_task" | "lockdown" | "card_update";
