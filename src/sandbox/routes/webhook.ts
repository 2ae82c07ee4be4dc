import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { RateWindow } from "../state/rateWindow";
import { maxBytes, object, requiredString, stringList } from "./params";
import type { SandboxRoute } from "./route";

const WEBHOOK_TYPES = ["text", "markdown", "image", "news", "file", "template_card"];

/** The group-robot webhook: no token, a key per robot, 20 messages per minute per robot. */
export function webhookRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock } = core;
  const perRobot = new RateWindow(clock, 60_000, 20);
  return [
    {
      method: "POST",
      path: "/cgi-bin/webhook/send",
      grants: "public",
      handle: ({ query, body }) => {
        const key = query.key ?? "";
        if (!state.robots.has(key)) throw new SandboxApiError(ERR.invalidWebhookKey, "invalid webhook url");
        const msgtype = requiredString(body.msgtype, "msgtype");
        if (!WEBHOOK_TYPES.includes(msgtype)) throw new SandboxApiError(ERR.invalidMessageType, `invalid message type ${msgtype}`);
        if (msgtype === "text") {
          const text = object(body.text, "text");
          maxBytes(requiredString(text.content, "text.content"), "text.content", 2048, ERR.invalidParameter);
          stringList(text.mentioned_list, "mentioned_list", 1000);
          stringList(text.mentioned_mobile_list, "mentioned_mobile_list", 1000);
        }
        if (msgtype === "markdown") {
          maxBytes(requiredString(object(body.markdown, "markdown").content, "markdown.content"), "markdown.content", 4096, ERR.invalidParameter);
        }
        if (!perRobot.tryHit(key)) throw new SandboxApiError(ERR.rateLimited, "api freq out of limit");
        state.webhookMessages.push({ key, at: clock.now(), msgtype, body });
        return {};
      },
    },
  ];
}
