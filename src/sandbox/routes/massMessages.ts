import { randomBytes } from "node:crypto";
import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { maxBytes, object, optionalString, requiredString, stringList } from "./params";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

const ATTACHMENT_TYPES = ["image", "link", "miniprogram", "video", "file"];

/** add_msg_template: creates a mass-message task; nothing is sent until the member confirms it. */
export function massMessageRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock } = core;
  return [
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/add_msg_template",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const chatType = (optionalString(body.chat_type, "chat_type") ?? "single") as "single" | "group";
        if (!["single", "group"].includes(chatType)) throw new SandboxApiError(ERR.invalidParameter, "invalid chat_type");
        const targets = stringList(body.external_userid, "external_userid", 10_000);
        const sender = requiredString(body.sender, "sender");
        if (!state.activeUser(sender)) throw new SandboxApiError(ERR.invalidSender, "sender is not an active member");
        const text = body.text === undefined ? undefined : requiredString(object(body.text, "text").content, "text.content");
        if (text !== undefined) maxBytes(text, "text.content", 4000);
        const attachments = body.attachments ?? [];
        if (!Array.isArray(attachments) || attachments.length > 9) {
          throw new SandboxApiError(ERR.invalidParameter, "attachments: at most 9");
        }
        for (const a of attachments) {
          if (!ATTACHMENT_TYPES.includes(String(object(a, "attachments[]").msgtype))) {
            throw new SandboxApiError(ERR.invalidMessageType, "invalid attachment msgtype");
          }
        }
        if (text === undefined && attachments.length === 0) throw new SandboxApiError(ERR.invalidParameter, "text or attachments required");
        const reachable =
          chatType === "single" ? targets.filter((id) => state.follow(sender, id)) : [];
        const failList = chatType === "single" ? targets.filter((id) => !reachable.includes(id)) : [];
        const msgid = `msg${randomBytes(12).toString("base64url")}`;
        state.msgTemplates.set(msgid, {
          msgid,
          chatType,
          sender,
          targets: chatType === "single" && targets.length === 0 ? state.followsOf(sender).map((f) => f.externalUserId) : reachable,
          text,
          attachments,
          createdAt: clock.now(),
          deliveredTo: [],
          skippedDailyLimit: [],
        });
        return { fail_list: failList, msgid };
      },
    },
  ];
}
