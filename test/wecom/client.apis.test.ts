import { RESEND_SUPPRESSED, type ButtonInteractionCard } from "../../src/wecom/client/api/messageApi";
import { WeComLimitError, WeComTransportError } from "../../src/wecom/client/errors";
import { clientFor, type ClientUnderTest, useScriptedWeCom } from "./support/clientHarness";

const to = { touser: ["zhangsan"] };
const ids = (n: number, prefix = "wm") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const card = (overrides: Partial<ButtonInteractionCard> = {}): ButtonInteractionCard => ({
  card_type: "button_interaction",
  main_title: { title: "离职申请审批", desc: "张老师 提交了离职申请" },
  task_id: "resign-42_approve@v1",
  button_list: [
    { type: 0, text: "同意", style: 1, key: "approve" },
    { type: 0, text: "驳回", style: 2, key: "reject" },
  ],
  ...overrides,
});

describe("WeCom API areas", () => {
  const env = useScriptedWeCom();
  const { wecom } = env;
  let c: ClientUnderTest;
  beforeEach(() => {
    c = clientFor(env.server, env.db);
  });

  const apiCalls = () => wecom.requests.filter((r) => r.path !== "/cgi-bin/gettoken");
  const lastBody = (path: string) => wecom.callsTo(path).at(-1)!.body;

  describe("limits are checked before calling", () => {
    it("text content: 2048 bytes pass, 2049 are refused; Chinese counts 3 bytes a character", async () => {
      await c.client.message.sendText(to, "a".repeat(2048));
      await expect(c.client.message.sendText(to, "a".repeat(2049))).rejects.toThrow(WeComLimitError);
      await c.client.message.sendText(to, "家".repeat(682)); // 2046 bytes
      const err = await c.client.message.sendText(to, "家".repeat(683)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeComLimitError);
      expect(err).toMatchObject({ field: "text.content", actual: 2049, status: 400 });
      expect(wecom.count("/cgi-bin/message/send")).toBe(2);
    });

    it("markdown, textcard and robot limits", async () => {
      await expect(c.client.message.sendMarkdown(to, "x".repeat(2049))).rejects.toThrow(/markdown.content/);
      await expect(c.client.message.sendTextCard(to, { title: "标".repeat(43), description: "d", url: "https://x" })).rejects.toThrow(/textcard.title/);
      await expect(c.client.message.sendTextCard(to, { title: "t", description: "d", url: "https://x", btntxt: "查看详情了" })).rejects.toThrow(/btntxt/);
      await expect(c.client.robot.sendMarkdown("x".repeat(4097))).rejects.toThrow(/markdown.content/);
      await c.client.robot.sendMarkdown("x".repeat(4096));
      expect(apiCalls().map((r) => r.path)).toEqual(["/cgi-bin/webhook/send"]);
    });

    it("template card: ≤6 buttons, task_id charset, callback buttons need a key", async () => {
      const six = Array.from({ length: 6 }, (_, i) => ({ text: `b${i}`, key: `k${i}` }));
      await c.client.message.sendTemplateCard(to, card({ button_list: six }));
      await expect(c.client.message.sendTemplateCard(to, card({ button_list: [...six, { text: "b7", key: "k7" }] }))).rejects.toThrow(/button_list/);
      await expect(c.client.message.sendTemplateCard(to, card({ task_id: "has space" }))).rejects.toThrow(/task_id/);
      await expect(c.client.message.sendTemplateCard(to, card({ task_id: "t".repeat(129) }))).rejects.toThrow(/task_id/);
      await expect(c.client.message.sendTemplateCard(to, card({ button_list: [{ text: "ok" }] }))).rejects.toThrow(/key/);
      expect(wecom.count("/cgi-bin/message/send")).toBe(1);
    });

    it("miniprogram_notice: no @all, title 4–12 characters, ≤10 items", async () => {
      const notice = { appid: "wx123", page: "pages/handover/index", title: "交接清单提醒", content_item: [{ key: "学员", value: "王小明" }] };
      await c.client.message.sendMiniProgramNotice(to, notice);
      await expect(c.client.message.sendMiniProgramNotice({ touser: ["@all"] }, notice)).rejects.toThrow(/@all/);
      await expect(c.client.message.sendMiniProgramNotice(to, { ...notice, title: "提醒" })).rejects.toThrow(/title/);
      await expect(
        c.client.message.sendMiniProgramNotice(to, { ...notice, content_item: Array.from({ length: 11 }, () => ({ key: "k", value: "v" })) }),
      ).rejects.toThrow(/content_item/);
      expect(wecom.count("/cgi-bin/message/send")).toBe(1);
    });

    it("refuses more than 100 ids per transfer call instead of truncating", async () => {
      const t = c.client.customerTransfer;
      const base = { handover_userid: "teacher-a", takeover_userid: "teacher-b" };
      await expect(t.transferCustomer({ ...base, external_userid: ids(101) })).rejects.toMatchObject({ field: "external_userid", actual: 101 });
      await expect(t.resignedTransferCustomer({ ...base, external_userid: ids(101) })).rejects.toThrow(WeComLimitError);
      await expect(t.resignedTransferCustomer({ ...base, external_userid: [] })).rejects.toThrow(WeComLimitError);
      await expect(t.transferCustomer({ ...base, external_userid: ids(1), transfer_success_msg: "好".repeat(201) })).rejects.toThrow(/transfer_success_msg/);
      await expect(c.client.groupChat.transfer({ chat_id_list: ids(101, "wr"), new_owner: "b" })).rejects.toThrow(/chat_id_list/);
      await expect(c.client.groupChat.onjobTransfer({ chat_id_list: ids(101, "wr"), new_owner: "b" })).rejects.toThrow(/chat_id_list/);
      await expect(c.client.externalContact.batchGetByUser({ userid_list: ids(101, "u") })).rejects.toThrow(/userid_list/);
      await expect(c.client.externalContact.batchGetByUser({ userid_list: ["u"], limit: 101 })).rejects.toThrow(/limit/);
      expect(apiCalls()).toHaveLength(0);
    });

    it("intercept rule: name 1–20 characters, ≤300 words of 1–32 characters", async () => {
      const rule = { rule_name: "退费引流", word_list: ["退费", "加我微信"], intercept_type: 1 as const, applicable_range: { department_list: [1] } };
      wecom.on("/cgi-bin/externalcontact/add_intercept_rule", () => ({ body: { errcode: 0, rule_id: "rule-1" } }));
      await expect(c.client.interceptRule.addInterceptRule(rule)).resolves.toBe("rule-1");
      await expect(c.client.interceptRule.addInterceptRule({ ...rule, rule_name: "" })).rejects.toThrow(/rule_name/);
      await expect(c.client.interceptRule.addInterceptRule({ ...rule, rule_name: "规".repeat(21) })).rejects.toThrow(/rule_name/);
      await expect(c.client.interceptRule.addInterceptRule({ ...rule, word_list: ids(301, "w") })).rejects.toThrow(/word_list/);
      await expect(c.client.interceptRule.addInterceptRule({ ...rule, word_list: ["词".repeat(33)] })).rejects.toThrow(/word_list\[0\]/);
      expect(wecom.count("/cgi-bin/externalcontact/add_intercept_rule")).toBe(1);
    });
  });

  describe("requests and replies", () => {
    it("sends a template card with the agent id and joined recipients, and updates it by response_code", async () => {
      wecom.on("/cgi-bin/message/send", () => ({ body: { errcode: 0, errmsg: "ok", msgid: "m1", response_code: "rc-1" } }));
      const sent = await c.client.message.sendTemplateCard({ touser: ["a", "b"], toparty: ["2"] }, card(), RESEND_SUPPRESSED);
      expect(sent.response_code).toBe("rc-1");
      expect(lastBody("/cgi-bin/message/send")).toMatchObject({
        touser: "a|b",
        toparty: "2",
        msgtype: "template_card",
        agentid: 1000002,
        enable_duplicate_check: 1,
        duplicate_check_interval: 14400,
        template_card: { task_id: "resign-42_approve@v1" },
      });
      await c.client.message.updateTemplateCard({ userids: ["a"], response_code: "rc-1", button: { replace_name: "已同意" } });
      expect(lastBody("/cgi-bin/message/update_template_card")).toEqual({
        userids: ["a"],
        response_code: "rc-1",
        button: { replace_name: "已同意" },
        agentid: 1000002,
      });
    });

    it("robot webhook: key in the query, no access token, mentions in the body", async () => {
      await c.client.robot.sendText("请及时处理", { mentioned_list: ["zhangsan", "@all"] });
      const [call] = wecom.requests;
      expect(call!.query).toEqual({ key: "robot-key-DO-NOT-LOG" });
      expect(call!.body).toEqual({ msgtype: "text", text: { content: "请及时处理", mentioned_list: ["zhangsan", "@all"] } });
    });

    it("surfaces failed_chat_list and the chats that did transfer", async () => {
      wecom.on("/cgi-bin/externalcontact/groupchat/transfer", () => ({
        body: { errcode: 0, errmsg: "ok", failed_chat_list: [{ chat_id: "wr2", errcode: 90500, errmsg: "the master of group chat is not resigned" }] },
      }));
      const result = await c.client.groupChat.transfer({ chat_id_list: ["wr1", "wr2", "wr3"], new_owner: "teacher-b" });
      expect(result.failed_chat_list).toEqual([{ chat_id: "wr2", errcode: 90500, errmsg: "the master of group chat is not resigned" }]);
      expect(result.transferred_chat_ids).toEqual(["wr1", "wr3"]);
      const clean = await c.client.groupChat.onjobTransfer({ chat_id_list: ["wr4"], new_owner: "teacher-b" });
      expect(clean).toEqual({ failed_chat_list: [], transferred_chat_ids: ["wr4"] });
    });

    it("returns per-customer errcodes of a transfer", async () => {
      wecom.on("/cgi-bin/externalcontact/resigned/transfer_customer", (req) => ({
        body: { errcode: 0, customer: req.body.external_userid.map((id: string, i: number) => ({ external_userid: id, errcode: i === 1 ? 40129 : 0 })) },
      }));
      const result = await c.client.customerTransfer.resignedTransferCustomer({
        handover_userid: "leaver",
        takeover_userid: "successor",
        external_userid: ["wm0", "wm1"],
      });
      expect(result.customer).toEqual([{ external_userid: "wm0", errcode: 0 }, { external_userid: "wm1", errcode: 40129 }]);
      expect(lastBody("/cgi-bin/externalcontact/resigned/transfer_customer")).toEqual({
        handover_userid: "leaver",
        takeover_userid: "successor",
        external_userid: ["wm0", "wm1"],
      });
    });

    it("walks transfer_result pages by cursor", async () => {
      wecom.on("/cgi-bin/externalcontact/resigned/transfer_result", (req) =>
        req.body.cursor === "c2"
          ? { body: { errcode: 0, customer: [{ external_userid: "wm2", status: 2, takeover_time: 1 }], next_cursor: "" } }
          : { body: { errcode: 0, customer: [{ external_userid: "wm1", status: 1, takeover_time: 1 }], next_cursor: "c2" } },
      );
      const seen: string[] = [];
      for await (const page of c.client.customerTransfer.resignedTransferResultPages("leaver", "successor")) {
        seen.push(...page.customer.map((x) => `${x.external_userid}:${x.status}`));
      }
      expect(seen).toEqual(["wm1:1", "wm2:2"]);
    });

    it("stops with an error when WeCom returns the same cursor again", async () => {
      wecom.on("/cgi-bin/externalcontact/get_unassigned_list", () => ({
        body: { errcode: 0, info: [], is_last: false, next_cursor: "same" },
      }));
      const pages = async () => {
        for await (const _ of c.client.customerTransfer.unassignedPages()) void _;
      };
      await expect(pages()).rejects.toThrow(WeComTransportError);
      expect(wecom.count("/cgi-bin/externalcontact/get_unassigned_list")).toBe(2);
    });

    it("collects followers beyond 500 via next_cursor", async () => {
      wecom.on("/cgi-bin/externalcontact/get", (req) => ({
        body: {
          errcode: 0,
          external_contact: { external_userid: "wm1", name: "王妈妈", type: 1 },
          follow_user: [{ userid: req.query.cursor ? "t2" : "t1", createtime: 1 }],
          next_cursor: req.query.cursor ? undefined : "next",
        },
      }));
      const detail = await c.client.externalContact.getWithAllFollowers("wm1");
      expect(detail.follow_user.map((f) => f.userid)).toEqual(["t1", "t2"]);
      expect(detail.external_contact.name).toBe("王妈妈");
    });

    it("accepts both exteranalopenid and external_userid in archive consent replies", async () => {
      wecom.on("/cgi-bin/msgaudit/check_single_agree", () => ({
        body: {
          errcode: 0,
          agreeinfo: [
            { userid: "t1", exteranalopenid: "wm1", agree_status: "Agree", status_change_time: 1 },
            { userid: "t1", external_userid: "wm2", agree_status: "Disagree", status_change_time: 2 },
          ],
        },
      }));
      const info = await c.client.msgAudit.checkSingleAgree([
        { userid: "t1", exteranalopenid: "wm1" },
        { userid: "t1", exteranalopenid: "wm2" },
      ]);
      expect(info.map((i) => [i.exteranalopenid, i.agree_status])).toEqual([["wm1", "Agree"], ["wm2", "Disagree"]]);
      expect(lastBody("/cgi-bin/msgaudit/check_single_agree")).toEqual({
        info: [{ userid: "t1", exteranalopenid: "wm1" }, { userid: "t1", exteranalopenid: "wm2" }],
      });
    });

    it("mini-program login and OAuth use the agent token and return the member", async () => {
      wecom.on("/cgi-bin/miniprogram/jscode2session", () => ({ body: { errcode: 0, corpid: "ww-test-corp", userid: "t1", session_key: "sk" } }));
      wecom.on("/cgi-bin/auth/getuserinfo", () => ({ body: { errcode: 0, userid: "t1", user_ticket: "ut" } }));
      await expect(c.client.miniProgram.jscode2session("code-1")).resolves.toEqual({ corpid: "ww-test-corp", userid: "t1", session_key: "sk" });
      await expect(c.client.oauth.getUserInfo("code-2")).resolves.toMatchObject({ userid: "t1" });
      expect(wecom.callsTo("/cgi-bin/miniprogram/jscode2session")[0]!.query).toMatchObject({ js_code: "code-1", grant_type: "authorization_code" });
      expect(wecom.callsTo("/cgi-bin/auth/getuserinfo")[0]!.query).toMatchObject({ code: "code-2" });
      expect(wecom.count("/cgi-bin/gettoken")).toBe(1);
    });

    it("members and departments", async () => {
      wecom.on("/cgi-bin/user/get", () => ({ body: { errcode: 0, errmsg: "ok", userid: "t1", name: "张老师", department: [2], status: 1 } }));
      wecom.on("/cgi-bin/user/simplelist", () => ({ body: { errcode: 0, userlist: [{ userid: "t1", name: "张老师", department: [2] }] } }));
      wecom.on("/cgi-bin/department/simplelist", () => ({ body: { errcode: 0, department_id: [{ id: 2, parentid: 1, order: 10 }] } }));
      wecom.on("/cgi-bin/department/get", () => ({ body: { errcode: 0, department: { id: 2, name: "朝阳校区", parentid: 1 } } }));
      await expect(c.client.user.get("t1")).resolves.toEqual({ userid: "t1", name: "张老师", department: [2], status: 1 });
      await expect(c.client.user.simplelist(2)).resolves.toHaveLength(1);
      // fetch_child is no longer honoured by WeCom (path/96259), so it is never sent.
      expect(wecom.callsTo("/cgi-bin/user/simplelist")[0]!.query).toEqual({ access_token: expect.any(String), department_id: "2" });
      await expect(c.client.department.simplelist()).resolves.toEqual([{ id: 2, parentid: 1, order: 10 }]);
      await expect(c.client.department.get(2)).resolves.toMatchObject({ name: "朝阳校区" });
    });

    it("add_msg_template returns fail_list and checks its limits", async () => {
      wecom.on("/cgi-bin/externalcontact/add_msg_template", () => ({ body: { errcode: 0, fail_list: ["wm9"], msgid: "msg1" } }));
      const result = await c.client.msgTemplate.addMsgTemplate({ chat_type: "single", external_userid: ["wm1", "wm9"], sender: "t1", text: { content: "家长您好" } });
      expect(result).toMatchObject({ fail_list: ["wm9"], msgid: "msg1" });
      await expect(c.client.msgTemplate.addMsgTemplate({ text: { content: "x".repeat(4001) } })).rejects.toThrow(/text.content/);
      await expect(c.client.msgTemplate.addMsgTemplate({ attachments: Array.from({ length: 10 }, () => ({ msgtype: "video" as const, video: { media_id: "m" } })) })).rejects.toThrow(/attachments/);
    });
  });
});
