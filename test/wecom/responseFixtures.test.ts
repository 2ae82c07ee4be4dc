import { allApiFixtures } from "../fixtures/wecom/loadFixture";
import { BASE_SEED, startTestSandbox, type Kind, type TestSandbox } from "../sandbox/support";
import { clientFor, useScriptedWeCom } from "./support/clientHarness";

/**
 * The sandbox answers like WeCom: for each reply transcribed from an SDK's test data or Tencent's pages
 * (test/fixtures/wecom/responses), the sandbox's reply to the same call has every field the fixture has, with
 * the same JSON type, down to the first element of each list — except the fields a fixture lists as not
 * emulated (answered by WeCom, never read by the product).
 */
function differences(expected: unknown, actual: unknown, path: string, ignored: string[]): string[] {
  if (ignored.includes(path)) return [];
  if (expected === null) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: array expected, got ${JSON.stringify(actual)}`];
    if (expected.length === 0) return [];
    if (actual.length === 0) return [`${path}: the sandbox answered an empty list`];
    return differences(expected[0], actual[0], `${path}[]`, ignored);
  }
  if (typeof expected === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return [`${path}: object expected`];
    return Object.entries(expected as Record<string, unknown>).flatMap(([key, value]) => {
      const p = path ? `${path}.${key}` : key;
      if (ignored.includes(p)) return [];
      if (!(key in (actual as Record<string, unknown>))) return [`${p}: missing`];
      return differences(value, (actual as Record<string, unknown>)[key], p, ignored);
    });
  }
  return typeof expected === typeof actual ? [] : [`${path}: ${typeof expected} expected, got ${typeof actual}`];
}

const secretFor = (endpoint: string): Kind =>
  endpoint.includes("/externalcontact/") ? "customer" : endpoint.includes("/message/") || endpoint.includes("/auth/") ? "agent" : "contact";

describe("sandbox replies have the shape of WeCom's (test/fixtures/wecom/responses)", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({}, {
      ...BASE_SEED,
      users: [...(BASE_SEED.users ?? []), { userid: "teacher_gone", name: "周老师", departments: [2] }, { userid: "teacher_fixture", name: "陈老师", departments: [2] }],
      follows: [
        ...(BASE_SEED.follows ?? []),
        { userid: "teacher_gone", externalUserId: "wm_parent_9" },
        // A customer with a tag, so the lists WeCom fills (tags, tag_id) are compared element by element.
        { userid: "teacher_fixture", externalUserId: "wm_fixture_parent", tags: [{ groupName: "年级", tagName: "三年级", type: 1, tagId: "et_grade_3" }] },
      ],
      groupChats: [
        {
          chatId: "wr_fixture_group",
          owner: "teacher_a",
          name: "三年级一班家长群",
          admins: ["teacher_b"],
          members: [{ userid: "teacher_b", invitor: "teacher_a" }, { userid: "teacher_a" }, { userid: "wm_parent_1", invitor: "teacher_a" }],
        },
      ],
    });
    await t.sandbox.actors.memberLeaves("teacher_gone");
  }, 30_000);
  afterAll(() => t.sandbox.stop());

  const fixtures = allApiFixtures();

  it("covers the endpoints transcribed so far", () => {
    expect([...new Set(fixtures.map((f) => f.endpoint))].sort()).toEqual([
      "GET /cgi-bin/auth/getuserinfo",
      "GET /cgi-bin/externalcontact/get",
      "GET /cgi-bin/externalcontact/get_follow_user_list",
      "GET /cgi-bin/externalcontact/list",
      "GET /cgi-bin/gettoken",
      "GET /cgi-bin/user/list",
      "GET /cgi-bin/user/simplelist",
      "POST /cgi-bin/externalcontact/add_msg_template",
      "POST /cgi-bin/externalcontact/batch/get_by_user",
      "POST /cgi-bin/externalcontact/get_unassigned_list",
      "POST /cgi-bin/externalcontact/groupchat/get",
      "POST /cgi-bin/externalcontact/groupchat/list",
      "POST /cgi-bin/message/send",
    ]);
  });

  /** Values only the sandbox run can supply: its credentials and the login codes its pages issue. */
  const live = (value: unknown): string => {
    switch (value) {
      case "$corpId":
        return t.sandbox.corp.corpId;
      case "$agentSecret":
        return t.sandbox.corp.agentSecret;
      case "$webLoginCode":
      case "$oauthCode":
        return t.sandbox.actors.oauthLogin("teacher_a");
      default:
        return String(value);
    }
  };

  it.each(fixtures.filter((f) => !f.notInSandbox).map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const [method, path] = f.endpoint.split(" ") as ["GET" | "POST", string];
    const request = f.request ?? {};
    const query = Object.fromEntries(Object.entries(request).map(([k, v]) => [k, live(v)]));
    const reply =
      path === "/cgi-bin/gettoken"
        ? await t.api.rawGet(path, query)
        : method === "GET"
          ? await t.api.get(secretFor(path), path, query)
          : await t.api.post(secretFor(path), path, request);
    expect(reply.errcode).toBe(f.response.errcode ?? 0);
    // WeCom appends ", hint: [...], from ip: ..., more info at ..." to an error's errmsg; the sandbox too.
    if (f.response.errcode) expect(reply.errmsg.startsWith(String(f.response.errmsg))).toBe(true);
    expect(differences(f.response, reply, "", f.notEmulated)).toEqual([]);
  });
});

describe("the client reads WeCom's published replies (test/fixtures/wecom/responses)", () => {
  const env = useScriptedWeCom();
  const fixture = (name: string) => allApiFixtures().find((f) => f.name === name)!;
  const serve = (name: string) => {
    const f = fixture(name);
    env.wecom.on(f.endpoint.split(" ")[1]!, () => ({ body: f.response }));
    return f.response as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it("externalcontact/list, get_follow_user_list, user/simplelist, user/list", async () => {
    const { client } = clientFor(env.server, env.db);
    const listed = serve("externalcontact.list").external_userid;
    expect(await client.externalContact.list("zhangsan")).toEqual(listed);
    const followers = serve("externalcontact.get_follow_user_list").follow_user;
    expect(await client.externalContact.followUserList()).toEqual(followers);
    serve("user.simplelist");
    expect(await client.user.simplelist(2)).toEqual([expect.objectContaining({ userid: "zhangsan", name: "李四" })]);
    serve("user.list");
    expect(await client.user.list(2)).toEqual([expect.objectContaining({ userid: "zhangthree-userid", name: "张三", department: [345678], status: 1 })]);
  });

  it("gettoken: the token WeCom hands out is the one every later call carries", async () => {
    const { client } = clientFor(env.server, env.db);
    const token = serve("gettoken").access_token as string;
    env.wecom.validTokens.add(token);
    serve("externalcontact.list");
    await client.externalContact.list("zhangsan");
    expect(env.wecom.requests.find((r) => r.path === "/cgi-bin/externalcontact/list")?.query.access_token).toBe(token);
  });

  it("message/send: an empty invaliduser and no msgid (an older reply) still count as sent", async () => {
    const { client } = clientFor(env.server, env.db);
    serve("message.send");
    expect(await client.message.sendText({ touser: ["zhangsan"] }, "您有一项离职交接待确认")).toEqual({ errcode: 0, errmsg: "ok", invaliduser: "" });
  });

  it("auth/getuserinfo: a member (Web login, OAuth), a non-member, a spent code", async () => {
    const { client } = clientFor(env.server, env.db);
    serve("auth.getuserinfo.web_login");
    expect(await client.oauth.getUserInfo("CODE")).toEqual({ userid: "USERID" });
    serve("auth.getuserinfo.oauth_member");
    expect(await client.oauth.getUserInfo("CODE")).toEqual({ userid: "USERID", user_ticket: "USER_TICKET" });
    // No userid: the console's callback refuses it ("仅限本企业成员登录").
    serve("auth.getuserinfo.non_member");
    expect(await client.oauth.getUserInfo("CODE")).toEqual({ openid: "OPENID", external_userid: "EXTERNAL_USERID" });
    serve("auth.getuserinfo.invalid_code");
    await expect(client.oauth.getUserInfo("CODE")).rejects.toMatchObject({ errcode: 40029 });
  });

  it("externalcontact/get, batch/get_by_user (next_cursor \"\" ends the walk), add_msg_template", async () => {
    const { client } = clientFor(env.server, env.db);
    serve("externalcontact.get");
    const detail = await client.externalContact.get("woAJ2GCAAAXtWyujaWJHDDGi0mACH71w");
    expect(detail.external_contact).toMatchObject({ name: "李四", type: 2 });
    expect(detail.follow_user?.map((f) => [f.userid, f.tags?.length ?? 0])).toEqual([["rocky", 1], ["tommy", 0]]);
    serve("externalcontact.batch.get_by_user");
    const pages = [];
    for await (const page of client.externalContact.batchGetByUserPages(["rocky"])) pages.push(page);
    expect(pages.map((p) => p.external_contact_list.map((c) => c.external_contact.external_userid))).toEqual([
      ["woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA", "woAJ2GCAAAXtWyujaWJHDDGi0mACHBBB"],
    ]);
    serve("externalcontact.add_msg_template");
    expect(await client.msgTemplate.addMsgTemplate({ chat_type: "single", external_userid: ["wmqfasd1e19278asdasdasd"], sender: "rocky", text: { content: "您好" } })).toEqual({
      errcode: 0, errmsg: "ok", fail_list: ["wmqfasd1e19278asdasdasd"], msgid: "msgGCAAAXtWyujaWJHDDGi0mACas1w",
    });
  });

  it("groupchat/get and groupchat/list (next_cursor null), get_unassigned_list", async () => {
    const { client } = clientFor(env.server, env.db);
    const chat = serve("externalcontact.groupchat.get").group_chat;
    expect(await client.groupChat.get("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA")).toMatchObject({ owner: chat.owner, name: chat.name, member_list: chat.member_list });
    serve("externalcontact.groupchat.list");
    expect((await client.groupChat.list({ limit: 10 })).group_chat_list.map((g) => g.chat_id)).toEqual(["wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", "wrOgQhDgAAcwMTB7YmDkbeBsAAAA"]);
    serve("externalcontact.get_unassigned_list");
    expect((await client.customerTransfer.getUnassignedList({ page_size: 100 })).info.map((i) => i.handover_userid)).toEqual(["zhangsan", "ShanRuoQi"]);
  });
});
