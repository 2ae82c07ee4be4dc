import { repeatablePosts, safeToRepeat } from "../../src/wecom/client/transport/retrySafety";

/** Which calls the transport may send again after a lost answer (timeout, broken connection, gateway 5xx). */
describe("retry safety of WeCom calls", () => {
  it.each([
    "/cgi-bin/externalcontact/add_msg_template",
    "/cgi-bin/externalcontact/add_intercept_rule",
    "/cgi-bin/webhook/send",
    "/cgi-bin/message/update_template_card",
    "/cgi-bin/externalcontact/transfer_customer",
    "/cgi-bin/externalcontact/resigned/transfer_customer",
    "/cgi-bin/externalcontact/groupchat/transfer",
    "/cgi-bin/externalcontact/groupchat/onjob_transfer",
    "/cgi-bin/some/new_endpoint",
  ])("%s creates something (or is unknown): never repeated", (path) => {
    expect(safeToRepeat("POST", path, {})).toBe(false);
  });

  it("message/send is repeated only with WeCom's duplicate check on", () => {
    expect(safeToRepeat("POST", "/cgi-bin/message/send", { msgtype: "text" })).toBe(false);
    expect(safeToRepeat("POST", "/cgi-bin/message/send", { enable_duplicate_check: 0 })).toBe(false);
    expect(safeToRepeat("POST", "/cgi-bin/message/send", { enable_duplicate_check: 1, duplicate_check_interval: 14400 })).toBe(true);
  });

  it("reads (every GET, the POST reads) and state-setting writes are repeated", () => {
    expect(safeToRepeat("GET", "/cgi-bin/user/get", undefined)).toBe(true);
    expect(safeToRepeat("POST", "/cgi-bin/externalcontact/get_groupmsg_list_v2", {})).toBe(true);
    expect(safeToRepeat("POST", "/cgi-bin/user/update", { userid: "a", enable: 0 })).toBe(true);
    expect(Object.keys(repeatablePosts).every((p) => !/\/add_|\/send$|transfer_customer$|groupchat\/(onjob_)?transfer$/.test(p))).toBe(true);
  });
});
