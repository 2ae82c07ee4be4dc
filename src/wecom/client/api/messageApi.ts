import { WeComLimitError } from "../errors";
import { assertCharsBetween, assertCountBetween, assertMatches, assertMaxBytes } from "../limits";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

/** Who receives an app message; "@all" in touser means everyone in the app's visible range. */
export interface MessageRecipients {
  touser?: string[];
  toparty?: string[];
  totag?: string[];
}

export interface SendOptions {
  safe?: 0 | 1;
  enable_id_trans?: 0 | 1;
  /**
   * WeCom's default is 0 (path/90236 发送应用消息, quoted in WxJava issue #1915). With 1, a message whose
   * request JSON equals one sent within duplicate_check_interval is silently not delivered again. Turn it
   * on only where the same logical message may be sent twice (a resend after an unknown outcome): then the
   * copy is dropped and the transport may repeat the call (retrySafety.ts). Never on replies that must
   * answer every question: a member who asks "进度" twice in half an hour gets two answers.
   */
  enable_duplicate_check?: 0 | 1;
  /** Seconds, default 1800, at most 4 h. */
  duplicate_check_interval?: number;
}

/**
 * For outbox messages, each one logical message that may be resent after its outcome was unknown: the
 * longest window WeCom allows (4 h), so a resend within it is dropped by WeCom. Identical request JSON to
 * the same people within 4 h is, for these messages, the same message (reminders repeat after 24 h).
 */
export const RESEND_SUPPRESSED: SendOptions = { enable_duplicate_check: 1, duplicate_check_interval: 4 * 3600 };

/**
 * May a message sent with RESEND_SUPPRESSED, whose outcome is unknown, be sent again? Only while WeCom
 * still remembers the first copy: `firstSentAtOrAfter` is a time no later than the first attempt (e.g.
 * when it was queued); a 10-minute margin covers clock skew and a slow first attempt.
 */
export function resendStillSuppressed(firstSentAtOrAfter: Date, now: Date): boolean {
  const windowMs = (RESEND_SUPPRESSED.duplicate_check_interval! - 600) * 1000;
  return now.getTime() - firstSentAtOrAfter.getTime() < windowMs;
}

export interface SendMessageResult extends WeComReply {
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  /** Absent in older replies: WxJava's recorded reply (test/fixtures/wecom/responses/message.send.json) has none. */
  msgid?: string;
  /** Present for template cards with buttons; needed by updateTemplateCard. */
  response_code?: string;
}

export interface TextCard {
  title: string;
  description: string;
  url: string;
  btntxt?: string;
}

export interface TemplateCardButton {
  /** 0 = callback (needs key), 1 = open url. */
  type?: 0 | 1;
  text: string;
  style?: 1 | 2 | 3 | 4;
  key?: string;
  url?: string;
}

export interface HorizontalContent {
  type?: 0 | 1 | 2 | 3;
  keyname: string;
  value?: string;
  url?: string;
  media_id?: string;
  userid?: string;
}

export interface CardAction {
  /** 0 none, 1 url, 2 mini-program. */
  type: 0 | 1 | 2;
  url?: string;
  appid?: string;
  pagepath?: string;
}

export interface ButtonSelection {
  question_key: string;
  title?: string;
  option_list: Array<{ id: string; text: string }>;
  selected_id?: string;
}

export interface ButtonInteractionCard {
  card_type: "button_interaction";
  source?: { icon_url?: string; desc?: string; desc_color?: number };
  main_title: { title?: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: HorizontalContent[];
  card_action?: CardAction;
  /** Unique per app; the callback's TaskId. */
  task_id: string;
  button_selection?: ButtonSelection;
  button_list: TemplateCardButton[];
  replace_text?: string;
}

export interface MiniProgramNotice {
  appid: string;
  page?: string;
  title: string;
  description?: string;
  emphasis_first_item?: boolean;
  content_item?: Array<{ key: string; value: string }>;
}

/** Who sees the updated card; the same people the card went to. */
export interface TemplateCardUpdateTarget {
  userids?: string[];
  partyids?: number[];
  tagids?: number[];
  atall?: 0 | 1;
  /** From the send result or the callback; usable once. */
  response_code: string;
}

export type TemplateCardUpdate = TemplateCardUpdateTarget &
  ({ button: { replace_name: string } } | { template_card: ButtonInteractionCard });

export interface UpdateTemplateCardResult extends WeComReply {
  invaliduser?: string[];
}

const taskIdPattern = /^[0-9A-Za-z_\-@]{1,128}$/;

function validateRecipients(to: MessageRecipients): void {
  const total = (to.touser?.length ?? 0) + (to.toparty?.length ?? 0) + (to.totag?.length ?? 0);
  if (total === 0) throw new WeComLimitError("touser/toparty/totag", "at least one recipient", 0);
  assertCountBetween("touser", to.touser, 0, 1000);
  assertCountBetween("toparty", to.toparty, 0, 100);
  assertCountBetween("totag", to.totag, 0, 100);
}

function validateButtonInteraction(card: ButtonInteractionCard): void {
  assertMatches("template_card.task_id", card.task_id, taskIdPattern, "1–128 of [0-9A-Za-z_-@]");
  assertCountBetween("template_card.button_list", card.button_list, 1, 6);
  assertCountBetween("template_card.horizontal_content_list", card.horizontal_content_list, 0, 6);
  card.button_list.forEach((button, i) => {
    assertMaxBytes(`template_card.button_list[${i}].key`, button.key, 1024);
    if ((button.type ?? 0) === 0 && !button.key) {
      throw new WeComLimitError(`template_card.button_list[${i}].key`, "required for a callback button", "missing");
    }
    if (button.type === 1 && !button.url) {
      throw new WeComLimitError(`template_card.button_list[${i}].url`, "required for a url button", "missing");
    }
  });
}

function validateMiniProgramNotice(notice: MiniProgramNotice): void {
  assertMaxBytes("miniprogram_notice.page", notice.page, 1024);
  assertCharsBetween("miniprogram_notice.title", notice.title, 4, 12);
  assertCharsBetween("miniprogram_notice.description", notice.description, 4, 12);
  assertCountBetween("miniprogram_notice.content_item", notice.content_item, 0, 10);
  notice.content_item?.forEach((item, i) => {
    assertCharsBetween(`miniprogram_notice.content_item[${i}].key`, item.key, 1, 10);
    assertCharsBetween(`miniprogram_notice.content_item[${i}].value`, item.value, 1, 30);
  });
}

/** App messages (message/send, path/90236) and template card updates (path/94888), agent secret. */
export class MessageApi {
  constructor(
    private readonly http: WeComHttp,
    private readonly agentId: number,
  ) {}

  async sendText(to: MessageRecipients, content: string, options: SendOptions = {}): Promise<SendMessageResult> {
    assertMaxBytes("text.content", content, 2048);
    return this.send(to, "text", { text: { content } }, options);
  }

  async sendMarkdown(to: MessageRecipients, content: string, options: SendOptions = {}): Promise<SendMessageResult> {
    assertMaxBytes("markdown.content", content, 2048);
    return this.send(to, "markdown", { markdown: { content } }, options);
  }

  async sendTextCard(to: MessageRecipients, textcard: TextCard, options: SendOptions = {}): Promise<SendMessageResult> {
    assertMaxBytes("textcard.title", textcard.title, 128);
    assertMaxBytes("textcard.description", textcard.description, 512);
    assertMaxBytes("textcard.url", textcard.url, 2048);
    assertCharsBetween("textcard.btntxt", textcard.btntxt, 1, 4);
    return this.send(to, "textcard", { textcard }, options);
  }

  async sendTemplateCard(
    to: MessageRecipients,
    template_card: ButtonInteractionCard,
    options: SendOptions = {},
  ): Promise<SendMessageResult> {
    validateButtonInteraction(template_card);
    return this.send(to, "template_card", { template_card }, options);
  }

  async sendMiniProgramNotice(
    to: MessageRecipients,
    miniprogram_notice: MiniProgramNotice,
    options: SendOptions = {},
  ): Promise<SendMessageResult> {
    if (to.touser?.includes("@all")) throw new WeComLimitError("touser", "explicit users (no @all)", "@all");
    validateMiniProgramNotice(miniprogram_notice);
    return this.send(to, "miniprogram_notice", { miniprogram_notice }, options);
  }

  /** Replace a clicked card's buttons (e.g. "已同意"); the response_code works once. */
  async updateTemplateCard(update: TemplateCardUpdate): Promise<UpdateTemplateCardResult> {
    if ("template_card" in update) validateButtonInteraction(update.template_card);
    return this.http.post<UpdateTemplateCardResult>("message", "/cgi-bin/message/update_template_card", {
      secret: "agent",
      body: { ...update, agentid: this.agentId },
    });
  }

  private send(
    to: MessageRecipients,
    msgtype: string,
    payload: Record<string, unknown>,
    options: SendOptions,
  ): Promise<SendMessageResult> {
    validateRecipients(to);
    if (options.duplicate_check_interval !== undefined && options.duplicate_check_interval > 4 * 3600) {
      throw new WeComLimitError("duplicate_check_interval", "at most 14400 seconds", options.duplicate_check_interval);
    }
    return this.http.post<SendMessageResult>("message", "/cgi-bin/message/send", {
      secret: "agent",
      body: {
        touser: to.touser?.join("|"),
        toparty: to.toparty?.join("|"),
        totag: to.totag?.join("|"),
        msgtype,
        agentid: this.agentId,
        ...payload,
        ...options,
      },
    });
  }
}
