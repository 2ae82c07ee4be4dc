import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import type { ExternalContact, Follow } from "../state/types";
import { integer, requiredString, stringList } from "./params";
import { page } from "./paging";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

/** externalcontact/get returns followers 500 at a time. */
export const FOLLOWERS_PAGE_SIZE = 500;

function presentContact(c: ExternalContact) {
  return {
    external_userid: c.externalUserId,
    name: c.name,
    avatar: c.avatar,
    type: c.type,
    gender: c.gender,
    unionid: c.unionid,
  };
}

function presentFollow(f: Follow) {
  return {
    userid: f.userid,
    remark: f.remark,
    description: f.description,
    createtime: Math.floor(f.createdAt.getTime() / 1000),
    remark_corp_name: "",
    remark_mobiles: [],
    add_way: f.addWay,
    oper_userid: f.operUserid,
    state: f.state,
  };
}

export function externalContactRoutes(core: SandboxCore): SandboxRoute[] {
  const { state } = core;

  function contact(id: unknown): ExternalContact {
    const found = state.externalContacts.get(requiredString(id, "external_userid"));
    if (!found) throw new SandboxApiError(ERR.invalidExternalUserId, "invalid external userid");
    return found;
  }

  return [
    {
      method: "GET",
      path: "/cgi-bin/externalcontact/get",
      grants: CUSTOMER_CONTACT,
      handle: ({ query }) => {
        const found = contact(query.external_userid);
        const { items, nextCursor } = page(state.followersOf(found.externalUserId), query.cursor, FOLLOWERS_PAGE_SIZE);
        return {
          external_contact: presentContact(found),
          follow_user: items.map((f) => ({
            ...presentFollow(f),
            tags: f.tags.map((t) => ({ group_name: t.groupName, tag_name: t.tagName, type: t.type, tag_id: t.tagId })),
          })),
          ...(nextCursor ? { next_cursor: nextCursor } : {}),
        };
      },
    },
    {
      // Members configured for 客户联系 (wechatpy tests/fixtures/work/externalcontact_get_follow_user_list.json shape).
      method: "GET",
      path: "/cgi-bin/externalcontact/get_follow_user_list",
      grants: CUSTOMER_CONTACT,
      handle: () => ({
        follow_user: [...state.users.values()].filter((u) => u.leftAt === undefined && u.customerContact !== false).map((u) => u.userid),
      }),
    },
    {
      method: "GET",
      path: "/cgi-bin/externalcontact/list",
      grants: CUSTOMER_CONTACT,
      handle: ({ query }) => {
        const userid = requiredString(query.userid, "userid");
        if (!state.users.has(userid)) throw new SandboxApiError(ERR.userNotFound, "userid not found");
        const ids = state.followsOf(userid).map((f) => f.externalUserId);
        if (ids.length === 0) throw new SandboxApiError(ERR.noRelation, "no external contact relation");
        return { external_userid: ids };
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/batch/get_by_user",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const userids = stringList(body.userid_list, "userid_list", 100, { required: true });
        const limit = integer(body.limit, "limit", { min: 1, max: 100, fallback: 50 });
        const follows = userids.flatMap((u) => state.followsOf(u));
        const { items, nextCursor } = page(follows, body.cursor, limit);
        return {
          external_contact_list: items.map((f) => ({
            external_contact: presentContact(state.externalContacts.get(f.externalUserId)!),
            follow_info: { ...presentFollow(f), tag_id: f.tags.map((t) => t.tagId) },
          })),
          next_cursor: nextCursor,
        };
      },
    },
  ];
}
