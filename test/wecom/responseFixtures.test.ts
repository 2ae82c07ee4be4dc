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

const secretFor = (endpoint: string): Kind => (endpoint.includes("/externalcontact/") ? "customer" : "contact");

describe("sandbox replies have the shape of WeCom's (test/fixtures/wecom/responses)", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({}, {
      ...BASE_SEED,
      users: [...(BASE_SEED.users ?? []), { userid: "teacher_gone", name: "周老师", departments: [2] }],
      follows: [...(BASE_SEED.follows ?? []), { userid: "teacher_gone", externalUserId: "wm_parent_9" }],
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
    expect(fixtures.map((f) => f.endpoint).sort()).toEqual([
      "GET /cgi-bin/externalcontact/get_follow_user_list",
      "GET /cgi-bin/externalcontact/list",
      "GET /cgi-bin/user/list",
      "GET /cgi-bin/user/simplelist",
      "POST /cgi-bin/externalcontact/get_unassigned_list",
      "POST /cgi-bin/externalcontact/groupchat/get",
      "POST /cgi-bin/externalcontact/groupchat/list",
    ]);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const [method, path] = f.endpoint.split(" ") as ["GET" | "POST", string];
    const request = f.request ?? {};
    const reply =
      method === "GET"
        ? await t.api.get(secretFor(path), path, Object.fromEntries(Object.entries(request).map(([k, v]) => [k, String(v)])))
        : await t.api.post(secretFor(path), path, request);
    expect(reply.errcode).toBe(0);
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
