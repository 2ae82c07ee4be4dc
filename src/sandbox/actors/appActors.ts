import type { CallbackDelivery } from "../callbacks/deliverer";
import { enterAgent, memberText, nineteenDigitMsgId, templateCardEvent } from "../callbacks/events";
import type { SandboxCore } from "../core";

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

    /** Presses a button of a card the member received; the event carries a fresh single-use ResponseCode. */
    clickTemplateCardButton(userid: string, taskId: string, buttonKey: string): Promise<CallbackDelivery> {
      const message = state.messages.find((m) => m.taskId === taskId);
      if (!message || !message.deliveredTo.includes(userid)) {
        throw new Error(`sandbox: ${userid} never received a card with task_id ${taskId}`);
      }
      const card = message.body.template_card as { card_type: string; button_list?: Array<{ key?: string }> };
      if (!(card.button_list ?? []).some((b) => b.key === buttonKey)) {
        throw new Error(`sandbox: card ${taskId} has no button ${buttonKey}`);
      }
      const responseCode = codes.responseCodes.issue({ taskId, msgid: message.msgid });
      return callbacks.send(
        templateCardEvent({ userid, agentId: corp.agentId, taskId, cardType: card.card_type, buttonKey, responseCode }),
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
