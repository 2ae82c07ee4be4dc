import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import type { CustomerTransfer } from "../state/types";
import { charsBetween, integer, optionalString, requiredString, stringList } from "./params";
import { decodeCursor, page, pageAt } from "./paging";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

const RESULT_PAGE_SIZE = 1000;

/** On-job and resigned customer transfers, their results, and the unassigned list. */
export function customerTransferRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, transfers } = core;

  /**
   * Whole-call refusals, with WeCom's meanings (go-workwx errcodes/mod.go): 40097 该成员尚未离职 (resigned
   * endpoint, handover still employed); 60111 UserID不存在 (a deleted member is unknown, so an on-job
   * transfer from a leaver, or to a deleted takeover, names nobody); 41054 该用户尚未激活 (takeover not
   * active; the sandbox answers it for a disabled one too); 40098 成员尚未实名认证 (takeover).
   */
  function members(body: Record<string, unknown>, kind: CustomerTransfer["kind"]) {
    const handover = state.users.get(requiredString(body.handover_userid, "handover_userid"));
    const takeover = state.users.get(requiredString(body.takeover_userid, "takeover_userid"));
    if (!handover || !takeover || takeover.leftAt !== undefined) throw new SandboxApiError(ERR.userNotFound, "userid not found");
    if (kind === "resigned" && handover.status !== 5) {
      throw new SandboxApiError(ERR.handoverNotResigned, "handover member has not left the company");
    }
    if (kind === "onjob" && handover.leftAt !== undefined) throw new SandboxApiError(ERR.userNotFound, "userid not found");
    if (takeover.status !== 1) throw new SandboxApiError(ERR.userNotActivated, "takeover member is not active");
    if (takeover.realNameVerified === false) throw new SandboxApiError(ERR.takeoverNotVerified, "takeover member is not real-name verified");
    return { handover: handover.userid, takeover: takeover.userid };
  }

  function transferRoute(path: string, kind: CustomerTransfer["kind"]): SandboxRoute {
    return {
      method: "POST",
      path,
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const { handover, takeover } = members(body, kind);
        const externalUserIds = stringList(body.external_userid, "external_userid", 100, { required: true });
        const successMessage = kind === "onjob" ? optionalString(body.transfer_success_msg, "transfer_success_msg") : undefined;
        if (successMessage !== undefined) charsBetween(successMessage, "transfer_success_msg", 1, 200);
        return { customer: transfers.request({ kind, handover, takeover, externalUserIds, successMessage }) };
      },
    };
  }

  function resultRoute(path: string, kind: CustomerTransfer["kind"]): SandboxRoute {
    return {
      method: "POST",
      path,
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const handover = requiredString(body.handover_userid, "handover_userid");
        const takeover = requiredString(body.takeover_userid, "takeover_userid");
        const { items, nextCursor } = page(transfers.results(kind, handover, takeover), body.cursor, RESULT_PAGE_SIZE);
        return {
          customer: items.map((t) => ({
            external_userid: t.externalUserId,
            status: t.status,
            // A refused record carries takeover_time 0 (issue 13; path/94088 gives the time only for a takeover).
            takeover_time: t.status === 3 ? 0 : Math.floor(t.takeoverTime.getTime() / 1000),
          })),
          next_cursor: nextCursor,
        };
      },
    };
  }

  const unassigned: SandboxRoute = {
    method: "POST",
    path: "/cgi-bin/externalcontact/get_unassigned_list",
    grants: CUSTOMER_CONTACT,
    handle: ({ body }) => {
      const pageSize = integer(body.page_size, "page_size", { min: 1, max: 1000, fallback: 1000 });
      const pageId = integer(body.page_id, "page_id", { min: 0, fallback: 0 });
      // Customers still held by a leaver and not already handed on.
      const rows = state.allFollows().flatMap((f) => {
        const leaver = state.users.get(f.userid);
        if (leaver?.status !== 5 || transfers.waitingFor(f.externalUserId)) return [];
        return [{ handover_userid: f.userid, external_userid: f.externalUserId, dimission_time: Math.floor((leaver.leftAt ?? new Date(0)).getTime() / 1000) }];
      });
      // The cursor, when given, wins over page_id (WeCom: use it beyond 50,000 records).
      const offset = body.cursor ? decodeCursor(body.cursor) : pageId * pageSize;
      const { items, nextCursor } = pageAt(rows, offset, pageSize);
      return { info: items, is_last: nextCursor === "", next_cursor: nextCursor };
    },
  };

  return [
    transferRoute("/cgi-bin/externalcontact/transfer_customer", "onjob"),
    transferRoute("/cgi-bin/externalcontact/resigned/transfer_customer", "resigned"),
    resultRoute("/cgi-bin/externalcontact/transfer_result", "onjob"),
    resultRoute("/cgi-bin/externalcontact/resigned/transfer_result", "resigned"),
    unassigned,
  ];
}
