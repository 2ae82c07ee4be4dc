import type { CallbackDelivery } from "../callbacks/deliverer";
import { changeExternalChat } from "../callbacks/events";
import type { SandboxCore } from "../core";
import type { GroupChat } from "../state/types";

/** Customer group chat life: created, people joining or leaving, renamed, dismissed. */
export function groupChatActors(core: SandboxCore) {
  const { state, clock, callbacks } = core;

  function chat(chatId: string): GroupChat {
    const found = state.groupChats.get(chatId);
    if (!found) throw new Error(`sandbox: unknown group chat ${chatId}`);
    return found;
  }

  return {
    /** HR starts a group's inheritance in the admin console; until it finishes, groupchat/transfer answers 90507. */
    adminStartsGroupInheritance(chatId: string, newOwner: string): void {
      chat(chatId);
      state.groupInheritancePending.set(chatId, newOwner);
    },

    /** The console inheritance finishes: the group has its new owner (change_owner fires). */
    adminGroupInheritanceDone(chatId: string): Promise<CallbackDelivery> {
      const target = chat(chatId);
      const newOwner = state.groupInheritancePending.get(chatId);
      if (!newOwner) throw new Error(`sandbox: no inheritance pending for ${chatId}`);
      state.groupInheritancePending.delete(chatId);
      state.groupChatTransfers.push({ chatId, kind: "resigned", from: target.owner, to: newOwner, at: clock.now() });
      target.owner = newOwner;
      return callbacks.send(changeExternalChat(chatId, { changeType: "update", updateDetail: "change_owner" }));
    },

    groupChatCreated(chatId: string, owner: string, name = chatId): Promise<CallbackDelivery> {
      state.seed({ groupChats: [{ chatId, owner, name }] });
      return callbacks.send(changeExternalChat(chatId, { changeType: "create" }));
    },

    /** joinScene 0 = invited by a member, 3 = scanned the group QR code. */
    joinGroupChat(chatId: string, memberIds: string[], joinScene: 0 | 3 = 0): Promise<CallbackDelivery> {
      const target = chat(chatId);
      const last = target.memberVersion;
      for (const userid of memberIds) {
        target.members.push({ userid, type: state.users.has(userid) ? 1 : 2, joinTime: clock.now(), joinScene });
      }
      target.memberVersion += 1;
      return callbacks.send(
        changeExternalChat(chatId, {
          changeType: "update",
          updateDetail: "add_member",
          joinScene,
          memberIds,
          lastMemVer: last,
          curMemVer: target.memberVersion,
        }),
      );
    },

    /** quitScene 0 = left, 1 = removed. */
    leaveGroupChat(chatId: string, memberIds: string[], quitScene: 0 | 1 = 0): Promise<CallbackDelivery> {
      const target = chat(chatId);
      const last = target.memberVersion;
      target.members = target.members.filter((m) => !memberIds.includes(m.userid));
      target.memberVersion += 1;
      return callbacks.send(
        changeExternalChat(chatId, {
          changeType: "update",
          updateDetail: "del_member",
          quitScene,
          memberIds,
          lastMemVer: last,
          curMemVer: target.memberVersion,
        }),
      );
    },

    renameGroupChat(chatId: string, name: string): Promise<CallbackDelivery> {
      chat(chatId).name = name;
      return callbacks.send(changeExternalChat(chatId, { changeType: "update", updateDetail: "change_name" }));
    },

    dismissGroupChat(chatId: string): Promise<CallbackDelivery> {
      chat(chatId).dismissed = true;
      return callbacks.send(changeExternalChat(chatId, { changeType: "dismiss" }));
    },
  };
}
