import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { followKey } from "../state/followKey";
import type { GroupChat } from "../state/types";
import { integer, object, requiredString } from "./params";
import { ARCHIVE, type SandboxRoute } from "./route";

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Chat-archive HTTP APIs; note WeCom's own spelling `exteranalopenid`. */
export function msgauditRoutes(core: SandboxCore): SandboxRoute[] {
  const { state } = core;

  function agreement(userid: string, externalUserId: string) {
    const consent = state.archiveConsents.get(followKey(userid, externalUserId));
    return {
      status_change_time: consent ? seconds(consent.changedAt) : 0,
      agree_status: consent?.status ?? "Disagree",
    };
  }

  function room(roomid: unknown): GroupChat {
    const chat = state.groupChats.get(requiredString(roomid, "roomid"));
    if (!chat) throw new SandboxApiError(ERR.invalidParameter, "invalid roomid");
    return chat;
  }

  return [
    {
      method: "POST",
      path: "/cgi-bin/msgaudit/get_permit_user_list",
      grants: ARCHIVE,
      handle: ({ body }) => {
        integer(body.type, "type", { min: 1, max: 3, fallback: 1 });
        return { ids: [...state.archivePermitUsers] };
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/msgaudit/check_single_agree",
      grants: ARCHIVE,
      handle: ({ body }) => {
        if (!Array.isArray(body.info) || body.info.length === 0) throw new SandboxApiError(ERR.invalidParameter, "info required");
        return {
          agreeinfo: body.info.map((raw) => {
            const entry = object(raw, "info[]");
            const userid = requiredString(entry.userid, "userid");
            // One doc copy spells the field external_userid; WeCom accepts both.
            const externalId = requiredString(entry.exteranalopenid ?? entry.external_userid, "exteranalopenid");
            return { userid, exteranalopenid: externalId, ...agreement(userid, externalId) };
          }),
        };
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/msgaudit/check_room_agree",
      grants: ARCHIVE,
      handle: ({ body }) => {
        const chat = room(body.roomid);
        return {
          agreeinfo: chat.members
            .filter((m) => m.type === 2)
            .map((m) => ({ exteranalopenid: m.userid, ...agreement(chat.owner, m.userid) })),
        };
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/msgaudit/groupchat/get",
      grants: ARCHIVE,
      handle: ({ body }) => {
        const chat = room(body.roomid);
        return {
          roomname: chat.name,
          creator: chat.owner,
          room_create_time: seconds(chat.createdAt),
          notice: chat.notice,
          members: chat.members.map((m) => ({ memberid: m.userid, jointime: seconds(m.joinTime) })),
        };
      },
    },
  ];
}
