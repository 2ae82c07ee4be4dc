import { SandboxApiError } from "../apiError";
import { ERR } from "../errcodes";
import type { SandboxState } from "../state/sandboxState";
import { charsBetween, maxBytes, object, optionalString, requiredString } from "./params";

const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;
const CARD_TYPES = ["text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction"];
/** Card types whose message/send answer carries a response_code. */
export const INTERACTIVE_CARDS = ["button_interaction", "vote_interaction", "multiple_interaction"];

/** Checks one app message's content against reference §3 / §5 limits. */
export function validateAppMessage(msgtype: string, body: Record<string, unknown>, state: SandboxState, toAll: boolean): void {
  switch (msgtype) {
    case "text":
      maxBytes(requiredString(object(body.text, "text").content, "text.content"), "text.content", 2048);
      return;
    case "markdown":
      maxBytes(requiredString(object(body.markdown, "markdown").content, "markdown.content"), "markdown.content", 2048);
      return;
    case "textcard":
      return validateTextcard(object(body.textcard, "textcard"));
    case "template_card":
      return validateTemplateCard(object(body.template_card, "template_card"));
    case "miniprogram_notice":
      return validateMiniprogramNotice(object(body.miniprogram_notice, "miniprogram_notice"), state, toAll);
    default:
      throw new SandboxApiError(ERR.invalidMessageType, `invalid message type ${msgtype}`);
  }
}

function validateTextcard(card: Record<string, unknown>): void {
  maxBytes(requiredString(card.title, "textcard.title"), "textcard.title", 128);
  maxBytes(requiredString(card.description, "textcard.description"), "textcard.description", 512);
  maxBytes(requiredString(card.url, "textcard.url"), "textcard.url", 2048);
  const btntxt = optionalString(card.btntxt, "textcard.btntxt");
  if (btntxt !== undefined) charsBetween(btntxt, "textcard.btntxt", 1, 4);
}

export function validateTemplateCard(card: Record<string, unknown>): void {
  const cardType = requiredString(card.card_type, "template_card.card_type");
  if (!CARD_TYPES.includes(cardType)) throw new SandboxApiError(ERR.invalidParameter, "invalid template_card.card_type");
  const mainTitle = card.main_title === undefined ? undefined : object(card.main_title, "template_card.main_title");
  if (mainTitle?.title !== undefined) maxBytes(String(mainTitle.title), "main_title.title", 128, ERR.invalidParameter);
  if (mainTitle?.desc !== undefined) maxBytes(String(mainTitle.desc), "main_title.desc", 512, ERR.invalidParameter);
  if (Array.isArray(card.horizontal_content_list) && card.horizontal_content_list.length > 6) {
    throw new SandboxApiError(ERR.invalidParameter, "horizontal_content_list: at most 6 entries");
  }
  if (!INTERACTIVE_CARDS.includes(cardType)) return;
  const taskId = requiredString(card.task_id, "template_card.task_id");
  if (!TASK_ID.test(taskId)) throw new SandboxApiError(ERR.invalidParameter, "invalid template_card.task_id");
  if (cardType === "button_interaction") validateButtons(card.button_list);
}

function validateButtons(list: unknown): void {
  if (!Array.isArray(list) || list.length < 1 || list.length > 6) {
    throw new SandboxApiError(ERR.invalidParameter, "button_list must have 1–6 buttons");
  }
  for (const raw of list) {
    const button = object(raw, "button_list[]");
    const type = button.type ?? 0;
    requiredString(button.text, "button.text");
    if (button.style !== undefined && ![1, 2, 3, 4].includes(button.style as number)) {
      throw new SandboxApiError(ERR.invalidParameter, "button.style must be 1–4");
    }
    if (type === 0) maxBytes(requiredString(button.key, "button.key"), "button.key", 1024, ERR.invalidParameter);
    else if (type === 1) maxBytes(requiredString(button.url, "button.url"), "button.url", 2048, ERR.invalidParameter);
    else throw new SandboxApiError(ERR.invalidParameter, "button.type must be 0 or 1");
  }
}

function validateMiniprogramNotice(notice: Record<string, unknown>, state: SandboxState, toAll: boolean): void {
  if (toAll) throw new SandboxApiError(ERR.invalidParameter, "miniprogram_notice cannot be sent to @all");
  const appid = requiredString(notice.appid, "miniprogram_notice.appid");
  if (!state.miniProgramAppIds.has(appid)) {
    throw new SandboxApiError(ERR.miniProgramNotAssociated, "mini program not associated with the app");
  }
  const page = optionalString(notice.page, "miniprogram_notice.page");
  if (page !== undefined) maxBytes(page, "miniprogram_notice.page", 1024, ERR.invalidParameter);
  charsBetween(requiredString(notice.title, "miniprogram_notice.title"), "miniprogram_notice.title", 4, 12);
  const description = optionalString(notice.description, "miniprogram_notice.description");
  if (description !== undefined) charsBetween(description, "miniprogram_notice.description", 4, 12);
  const items = notice.content_item ?? [];
  if (!Array.isArray(items) || items.length > 10) throw new SandboxApiError(ERR.invalidParameter, "content_item: at most 10");
  for (const raw of items) {
    const item = object(raw, "content_item[]");
    charsBetween(requiredString(item.key, "content_item.key"), "content_item.key", 1, 10);
    charsBetween(requiredString(item.value, "content_item.value"), "content_item.value", 1, 30);
  }
}
