import type { ButtonInteractionCard, MiniProgramNotice } from "../client";

/**
 * A WeCom message decided inside a capability's transaction and sent by the one outbox after it commits.
 * App messages go through message/send (path/90236), a card's button through
 * message/update_template_card (path/94888), a group robot's markdown through its webhook (path/91770), a
 * 群发 to customers through externalcontact/add_msg_template (path/92135).
 */
export type OutboxMessage =
  | { type: "text"; touser: string[]; content: string }
  | { type: "markdown"; touser: string[]; content: string }
  | { type: "miniprogram_notice"; touser: string[]; notice: MiniProgramNotice }
  | { type: "template_card"; touser: string[]; card: ButtonInteractionCard }
  /**
   * A card already sent, changed with a response_code (usable once, 72 h, path/94888): its buttons greyed
   * out with `replaceName`, or, with `card`, the whole card replaced (`replace_text` greys its buttons).
   * `atall`: for everyone the card went to ("atall: 更新整个任务接收人员", path/94888), `userids` then empty.
   */
  | { type: "update_card"; userids: string[]; atall?: boolean; responseCode: string; replaceName: string; card?: ButtonInteractionCard }
  /**
   * One section of a robot message. Sections queued for the same robot while it is throttled go out
   * together under `combineHeader` ("## 风险预警" → "## 风险预警（3条）"), packed to WeCom's byte limit.
   */
  | { type: "robot_markdown"; webhookKey: string; content: string; combineHeader: string }
  /**
   * A 群发 the sender confirms in their client (chat_type single, up to 10,000 customers, text ≤ 4,000 bytes).
   * WeCom keeps no duplicate check for it, so a try after one that may have reached WeCom first looks the task
   * up in the group-send records. `mayExistSince`: an attempt made before the row was queued (a notice moved
   * in from an older sender), whose task may already exist.
   */
  | { type: "msg_template"; sender: string; externalUserids: string[]; text: string; mayExistSince?: string };

/** The wire a message travels on: each has its own send call, throttle and resend rule. */
export type OutboxChannel = "app" | "card_update" | "robot" | "msg_template";

export function channelOf(message: OutboxMessage): OutboxChannel {
  switch (message.type) {
    case "update_card":
      return "card_update";
    case "robot_markdown":
      return "robot";
    case "msg_template":
      return "msg_template";
    default:
      return "app";
  }
}

/** What the queueing capability hears back, in the transaction that records the outcome. */
export interface OutboxOutcome {
  id: string;
  /** The owner's reference, as queued (a case and the message's purpose, an alert id). */
  ref: Record<string, string | number | null>;
  channel: OutboxChannel;
  /** sent: WeCom took it; failed: WeCom refused it for good; unknown: it may have arrived, and is not resent. */
  outcome: "sent" | "failed" | "unknown";
  msgid: string | null;
  errcode: number | null;
  /** What the send call added (add_msg_template's fail_list; `found` when an earlier attempt's task was found). */
  detail: SendDetail | null;
  at: Date;
}

export interface SendDetail {
  failList?: string[];
  /** The message was found already at WeCom (an earlier attempt reached it), not sent again. */
  found?: boolean;
  /**
   * message/send's response_code for an interactive template card: "仅消息类型为“按钮交互型”，“投票选择型”和
   * “多项选择型”的模板卡片消息返回，应用可使用response_code调用更新模版卡片消息接口，72小时内有效，且只能使用一次"
   * (path/90236's reply field, as transcribed in public SDK reply types, e.g. the C# and PHP clients' SendResult;
   * WxJava's WxCpMessageSendResult still has the older "24小时"). The queueing capability keeps it to update the
   * card later (a decision taken elsewhere); the outbox does not.
   */
  responseCode?: string;
}
