import type { ButtonInteractionCard, MiniProgramNotice } from "../../wecom";

/** A WeCom message decided inside a transaction and sent after it commits. */
export type OutboxMessage =
  | { type: "text"; touser: string[]; content: string }
  | { type: "miniprogram_notice"; touser: string[]; notice: MiniProgramNotice }
  | { type: "template_card"; touser: string[]; card: ButtonInteractionCard }
  | { type: "update_card"; userids: string[]; responseCode: string; replaceName: string };

/** What to record once a message went out (besides the dossier entry). */
export type OutboxKind = "bot_reply" | "approval_card" | "card_update" | "employee_notice" | "certificate_delivery" | "hr_notice" | "reminder";
