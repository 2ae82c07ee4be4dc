import type { CallbackDelivery } from "../callbacks/deliverer";
import { enterAgent, memberText, nineteenDigitMsgId, templateCardEvent } from "../callbacks/events";
import type { SandboxCore } from "../core";

/** The picked option of a card's selection, or none for a card without one. */
function selection(
  select: { question_key: string; selected_id?: string; option_list: Array<{ id: string }> } | undefined,
  pick: string | undefined,
): Array<{ questionKey: string; optionIds: string[] }> | undefined {
  if (!select) return undefined;
  const chosen = pick ?? select.selected_id ?? select.option_list[0]?.id;
  if (chosen !== undefined && !select.option_list.some((o) => o.id === chosen)) throw new Error(`sandbox: no option ${chosen} in ${select.question_key}`);
  return chosen === undefined ? [] : [{ questionKey: select.question_key, optionIds: [chosen] }];
}

/** Members using the app: texting it, opening it, pressing card buttons, logging in. */
export function appActors(core: SandboxCore) {
  const { state, corp, callbacks, codes } = core;

  function member(userid: string): void {
    if (!state.users.has(userid)) throw new Error(`sandbox: unknown member ${userid}`);
  }

  return {
    memberTextsApp(userid: string, content: string, msgId = nineteenDigitMsgId()): Promise<CallbackDelivery> {
      member(userid);
      return callbacks.send(memberText(userid, content, corp.agentId, msgId));
    },

    enterAgent(userid: string): Promise<CallbackDelivery> {
      member(userid);
      return callbacks.send(enterAgent(userid, corp.agentId));
    },

    /**
     * Presses a button of a card the member received; the event carries a fresh single-use ResponseCode and,
     * for a card with a button_selection, the option picked (default: the card's selected_id or first option).
     */
    clickTemplateCardButton(userid: string, taskId: string, buttonKey: string, pick?: string): Promise<CallbackDelivery> {
      const message = state.messages.find((m) => m.taskId === taskId);
      if (!message || !message.deliveredTo.includes(userid)) {
        throw new Error(`sandbox: ${userid} never received a card with task_id ${taskId}`);
      }
      const card = message.body.template_card as {
        card_type: string;
        button_list?: Array<{ key?: string }>;
        button_selection?: { question_key: string; selected_id?: string; option_list: Array<{ id: string }> };
      };
      if (!(card.button_list ?? []).some((b) => b.key === buttonKey)) {
        throw new Error(`sandbox: card ${taskId} has no button ${buttonKey}`);
      }
      if (state.greyedCards.get(taskId)?.has(userid)) throw new Error(`sandbox: the buttons of card ${taskId} were greyed out for ${userid}`);
      const responseCode = codes.responseCodes.issue({ taskId, msgid: message.msgid });
      return callbacks.send(
        templateCardEvent({ userid, agentId: corp.agentId, taskId, cardType: card.card_type, buttonKey, responseCode, selected: selection(card.button_selection, pick) }),
      );
    },

    /** wx.qy.login() inside the mini program: a code valid 5 minutes, usable once. */
    miniProgramLogin(userid: string): string {
      member(userid);
      return codes.miniProgram.issue(userid);
    },

    /** The OAuth redirect of a member opening our web page inside WeCom. */
    oauthLogin(userid: string): string {
      member(userid);
      return codes.oauth.issue(userid);
    },
  };
}
