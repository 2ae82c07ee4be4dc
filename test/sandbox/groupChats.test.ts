import type { SeedInput } from "../../src/sandbox/state/seed";
import { BASE_SEED, startTestSandbox } from "./support";

const RESIGNED = "/cgi-bin/externalcontact/groupchat/transfer";
const ONJOB = "/cgi-bin/externalcontact/groupchat/onjob_transfer";

const chats = (owner: string, n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ chatId: `${prefix}${i}`, owner, members: [{ userid: owner }, { userid: `wm_p${i}` }] }));

describe("sandbox group chat transfers", () => {
  it("lists and reads group chats by owner", async () => {
    const t = await startTestSandbox({}, { ...BASE_SEED, groupChats: chats("teacher_a", 3, "wr_a") });
    try {
      const list = await t.api.post("customer", "/cgi-bin/externalcontact/groupchat/list", { owner_filter: { userid_list: ["teacher_a"] }, limit: 2 });
      expect(list.group_chat_list).toHaveLength(2);
      const rest = await t.api.post("customer", "/cgi-bin/externalcontact/groupchat/list", { limit: 2, cursor: list.next_cursor });
      expect(rest.group_chat_list).toEqual([{ chat_id: "wr_a2", status: 0 }]);
      expect((await t.api.post("customer", "/cgi-bin/externalcontact/groupchat/list", {})).errcode).toBe(40058);
      const chat = await t.api.post("customer", "/cgi-bin/externalcontact/groupchat/get", { chat_id: "wr_a0" });
      expect(chat.group_chat).toMatchObject({ chat_id: "wr_a0", owner: "teacher_a" });
      expect(chat.group_chat.member_list).toHaveLength(2);
    } finally {
      await t.sandbox.stop();
    }
  });

  it("transfers a leaver's groups only, ≤100 per call (go-workwx errcodes: 90500 群主并未离职, 90501 该群不是客户群)", async () => {
    const seed: SeedInput = { ...BASE_SEED, groupChats: chats("teacher_a", 320, "wr_") };
    const t = await startTestSandbox({}, seed);
    try {
      const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `wr_${from + i}`);
      const early = await t.api.post("customer", RESIGNED, { chat_id_list: ["wr_0"], new_owner: "teacher_b" });
      expect(early.failed_chat_list).toEqual([expect.objectContaining({ chat_id: "wr_0", errcode: 90500 })]);

      await t.sandbox.actors.memberLeaves("teacher_a");
      expect((await t.api.post("customer", RESIGNED, { chat_id_list: ids(0, 101), new_owner: "teacher_b" })).errcode).toBe(40058);
      // No daily cap is documented, so the sandbox emulates none: 320 groups move in four calls.
      for (const start of [0, 100, 200, 300]) {
        const res = await t.api.post("customer", RESIGNED, { chat_id_list: ids(start, Math.min(start + 100, 320)), new_owner: "teacher_b" });
        expect(res.failed_chat_list).toEqual([]);
      }
      expect(t.sandbox.state.groupChats.get("wr_315")!.owner).toBe("teacher_b");
      const unknown = await t.api.post("customer", RESIGNED, { chat_id_list: ["wr_nope"], new_owner: "teacher_b" });
      expect(unknown.failed_chat_list[0].errcode).toBe(90501);
    } finally {
      await t.sandbox.stop();
    }
  });

  it("pins 90503 (满人 & 99个微信成员: a full group, not a daily cap), 90504 群主没变, 90507 正在继承, 90508 已经继承", async () => {
    const wechatMembers = Array.from({ length: 99 }, (_, i) => ({ userid: `wm_f${i}`, type: 2 as const }));
    const t = await startTestSandbox({}, {
      ...BASE_SEED,
      groupChats: [
        { chatId: "wr_full", owner: "teacher_a", members: [{ userid: "teacher_a" }, ...wechatMembers] },
        { chatId: "wr_x", owner: "teacher_a", members: [{ userid: "teacher_a" }] },
        { chatId: "wr_y", owner: "teacher_a", members: [{ userid: "teacher_a" }] },
      ],
    });
    try {
      await t.sandbox.actors.memberLeaves("teacher_a");
      const move = async (chat: string, to: string) => (await t.api.post("customer", RESIGNED, { chat_id_list: [chat], new_owner: to })).failed_chat_list;
      expect(await move("wr_full", "teacher_b")).toEqual([expect.objectContaining({ errcode: 90503 })]);
      expect(await move("wr_x", "teacher_b")).toEqual([]);
      expect(await move("wr_x", "teacher_b")).toEqual([expect.objectContaining({ errcode: 90504 })]);
      expect(await move("wr_x", "teacher_c")).toEqual([expect.objectContaining({ errcode: 90508 })]);
      t.sandbox.actors.adminStartsGroupInheritance("wr_y", "teacher_c");
      expect(await move("wr_y", "teacher_b")).toEqual([expect.objectContaining({ errcode: 90507 })]);
      await t.sandbox.actors.adminGroupInheritanceDone("wr_y");
      expect(t.sandbox.state.groupChats.get("wr_y")!.owner).toBe("teacher_c");
      expect(await move("wr_y", "teacher_b")).toEqual([expect.objectContaining({ errcode: 90508 })]);
    } finally {
      await t.sandbox.stop();
    }
  });

  it("moves an on-job owner's group at most twice in 90 days and refuses leavers' groups", async () => {
    const t = await startTestSandbox({}, { ...BASE_SEED, groupChats: chats("teacher_a", 2, "wr_o") });
    try {
      const move = (chat: string, to: string) => t.api.post("customer", ONJOB, { chat_id_list: [chat], new_owner: to });
      expect((await move("wr_o0", "teacher_b")).failed_chat_list).toEqual([]);
      expect((await move("wr_o0", "teacher_b")).failed_chat_list[0].errcode).toBe(90504);
      expect((await move("wr_o0", "teacher_c")).failed_chat_list).toEqual([]);
      expect((await move("wr_o0", "teacher_a")).failed_chat_list[0].errcode).toBe(40128);
      t.clock.advanceDays(91);
      expect((await move("wr_o0", "teacher_a")).failed_chat_list).toEqual([]);
      await t.sandbox.actors.memberLeaves("teacher_a");
      expect((await move("wr_o1", "teacher_b")).failed_chat_list[0].errcode).toBe(90502);
    } finally {
      await t.sandbox.stop();
    }
  });
});
