import { randomBytes } from "node:crypto";
import type { CallbackDelivery } from "../callbacks/deliverer";
import { changeExternalContact, opaqueCode } from "../callbacks/events";
import type { SandboxCore } from "../core";
import { followKey } from "../state/followKey";
import { chinaDay } from "../state/quotaTime";
import type { ExternalContact, MsgTemplate } from "../state/types";

/** Parents (external contacts) and members acting on their relation. */
export function customerActors(core: SandboxCore) {
  const { state, clock, callbacks, transfers } = core;

  return {
    /**
     * HR transfers customers in the admin console (客户联系 - 在职继承 / 离职继承), outside our service: same
     * rules and errcodes as the API; returns one errcode per customer.
     */
    adminTransfersCustomers(kind: "onjob" | "resigned", handover: string, takeover: string, externalUserIds: string[]) {
      return transfers.request({ kind, handover, takeover, externalUserIds });
    },

    /** A parent adds a teacher (scanning a contact-me QR code carrying `state`). */
    parentAddsTeacher(
      externalUserId: string,
      userid: string,
      options: { state?: string; contact?: Partial<ExternalContact> } = {},
    ): Promise<CallbackDelivery> {
      if (!state.activeUser(userid)) throw new Error(`sandbox: ${userid} is not an active member`);
      if (!state.externalContacts.has(externalUserId)) {
        state.externalContacts.set(externalUserId, {
          externalUserId,
          name: externalUserId,
          type: 1,
          gender: 0,
          unionid: "",
          avatar: "",
          ...options.contact,
        });
      }
      state.addFollow({
        userid,
        externalUserId,
        remark: "",
        description: "",
        createdAt: clock.now(),
        tags: [],
        addWay: 1,
        operUserid: externalUserId,
        state: options.state ?? "",
      });
      return callbacks.send(
        changeExternalContact(userid, externalUserId, {
          changeType: "add_external_contact",
          state: options.state,
          welcomeCode: opaqueCode(),
        }),
      );
    },

    parentDeletesTeacher(externalUserId: string, userid: string): Promise<CallbackDelivery> {
      state.removeFollow(userid, externalUserId);
      state.deletedRelations.add(`${userid}\u0000${externalUserId}`);
      return callbacks.send(changeExternalContact(userid, externalUserId, { changeType: "del_follow_user" }));
    },

    memberDeletesParent(userid: string, externalUserId: string): Promise<CallbackDelivery> {
      state.removeFollow(userid, externalUserId);
      state.deletedRelations.add(`${userid}\u0000${externalUserId}`);
      return callbacks.send(changeExternalContact(userid, externalUserId, { changeType: "del_external_contact" }));
    },

    /** The customer declines a pending transfer: status 3 and a transfer_fail callback. */
    refuseTransfer(externalUserId: string): Promise<CallbackDelivery> {
      return transfers.refuse(externalUserId);
    },

    parentConsentsToArchive(externalUserId: string, userid: string): Promise<CallbackDelivery> {
      state.archiveConsents.set(followKey(userid, externalUserId), {
        userid,
        externalUserId,
        status: "Agree",
        changedAt: clock.now(),
      });
      return callbacks.send(
        changeExternalContact(userid, externalUserId, { changeType: "msg_audit_approved", welcomeCode: opaqueCode() }),
      );
    },

    /**
     * A member creates a 群发 on the phone (个人群发, create_type 1 in get_groupmsg_list_v2,
     * path/93338): it goes out when they press send, which `confirmMsgTemplate` plays.
     */
    memberCreatesGroupSend(input: { sender: string; externalUserIds: string[]; text: string }): MsgTemplate {
      const msgid = `msg${randomBytes(12).toString("base64url")}`;
      const template: MsgTemplate = {
        msgid,
        chatType: "single",
        sender: input.sender,
        createType: 1,
        targets: input.externalUserIds.filter((id) => state.follow(input.sender, id)),
        text: input.text,
        attachments: [],
        createdAt: clock.now(),
        deliveredTo: [],
        skippedDailyLimit: [],
      };
      state.msgTemplates.set(msgid, template);
      return template;
    },

    /** The sender confirms a mass message on the phone; each customer gets at most one per day. */
    confirmMsgTemplate(msgid: string): MsgTemplate {
      const template = state.msgTemplates.get(msgid);
      if (!template) throw new Error(`sandbox: unknown msg template ${msgid}`);
      if (template.confirmedAt) throw new Error(`sandbox: msg template ${msgid} already confirmed`);
      const now = clock.now();
      const today = chinaDay(now);
      const hadOneToday = (target: string) =>
        [...state.msgTemplates.values()].some(
          (t) => t.confirmedAt && chinaDay(t.confirmedAt) === today && t.deliveredTo.includes(target),
        );
      template.confirmedAt = now;
      template.skippedDailyLimit = template.targets.filter(hadOneToday);
      template.deliveredTo = template.targets.filter((t) => !template.skippedDailyLimit.includes(t));
      return template;
    },
  };
}
