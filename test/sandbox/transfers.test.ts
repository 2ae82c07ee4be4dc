import type { SeedInput } from "../../src/sandbox/state/seed";
import { BASE_SEED, field, openCallback, startReceiver, startTestSandbox, type TestSandbox } from "./support";

const TRANSFER = "/cgi-bin/externalcontact/transfer_customer";
const RESIGNED = "/cgi-bin/externalcontact/resigned/transfer_customer";
const RESULT = "/cgi-bin/externalcontact/transfer_result";
const RESIGNED_RESULT = "/cgi-bin/externalcontact/resigned/transfer_result";

describe("sandbox customer transfers", () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    receiver = await startReceiver();
    t = await startTestSandbox({ callbackUrl: receiver.url });
  });
  afterEach(async () => {
    await t.sandbox.stop();
    await receiver.close();
  });

  const onJob = (ids: string[], takeover = "teacher_b") =>
    t.api.post("customer", TRANSFER, { handover_userid: "teacher_a", takeover_userid: takeover, external_userid: ids });
  // WeCom redelivers a callback not answered within its timeout (a loaded test machine can be that slow):
  // a redelivery is the same XML, so events are counted once each.
  const events = () => [...new Set(receiver.received.map((r) => openCallback(r).xml))];

  it("refuses more than 100 customers per call", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `wm_${i}`);
    expect((await onJob(ids)).errcode).toBe(40058);
    expect(t.sandbox.state.transfers).toHaveLength(0);
  });

  // Meanings pinned from xen0n/go-workwx errcodes/mod.go (Tencent's global error-code page, path/90313).
  it("reports per-customer errcodes: 40096 unknown, 40130 same member, 40129 正在转接中, 40100 已在转移流程中, 40131 not the follower, 84061 relation gone", async () => {
    t.sandbox.state.seed({ follows: [{ userid: "teacher_c", externalUserId: "wm_of_c" }] });
    const res = await onJob(["wm_parent_1", "wm_stranger", "wm_of_c"]);
    expect(res.customer).toEqual([
      { external_userid: "wm_parent_1", errcode: 0 },
      { external_userid: "wm_stranger", errcode: 40096 },
      { external_userid: "wm_of_c", errcode: 40131 },
    ]);
    expect((await onJob(["wm_parent_1"])).customer[0].errcode).toBe(40129);
    expect((await onJob(["wm_parent_1"], "teacher_c")).customer[0].errcode).toBe(40100);
    expect((await onJob(["wm_parent_2"], "teacher_a")).customer[0].errcode).toBe(40130);
    await t.sandbox.actors.parentDeletesTeacher("wm_parent_3", "teacher_a");
    expect((await onJob(["wm_parent_3"])).customer[0].errcode).toBe(84061);
  });

  it("refuses a takeover at their customer cap per customer (40099 外部联系人的数量已达上限)", async () => {
    t.sandbox.state.limits.customerCap = 1;
    t.sandbox.state.seed({ follows: [{ userid: "teacher_b", externalUserId: "wm_other" }] });
    expect((await onJob(["wm_parent_1"])).customer).toEqual([{ external_userid: "wm_parent_1", errcode: 40099 }]);
  });

  it("refuses an unverified (40098 成员尚未实名认证), inactive (41054 该用户尚未激活) or deleted (60111) takeover for the whole call", async () => {
    t.sandbox.state.users.get("teacher_b")!.realNameVerified = false;
    expect((await onJob(["wm_parent_1"])).errcode).toBe(40098);
    t.sandbox.state.users.get("teacher_b")!.status = 2;
    expect((await onJob(["wm_parent_1"])).errcode).toBe(41054);
    await t.sandbox.actors.memberLeaves("teacher_c");
    expect((await onJob(["wm_parent_1"], "teacher_c")).errcode).toBe(60111);
  });

  it("fires no add_external_contact when the takeover is already the customer's friend; transfer_result shows it done", async () => {
    t.sandbox.state.seed({ follows: [{ userid: "teacher_b", externalUserId: "wm_parent_1" }] });
    await onJob(["wm_parent_1"]);
    t.clock.advanceHours(24);
    await t.sandbox.tick();
    await t.sandbox.callbacks.idle();
    const done = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
    expect(done.customer[0]).toMatchObject({ external_userid: "wm_parent_1", status: 1 });
    expect(events().map((x) => field(x, "ChangeType"))).toEqual(["del_external_contact"]);
  });

  it("takes over after 24 h of sandbox time, moves the follow and fires both callbacks", async () => {
    await onJob(["wm_parent_1"]);
    const waiting = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
    expect(waiting.customer[0]).toMatchObject({ external_userid: "wm_parent_1", status: 2 });
    expect(waiting.customer[0].takeover_time).toBe(Math.floor(t.clock.now().getTime() / 1000) + 86_400);

    t.clock.advanceHours(23);
    await t.sandbox.tick();
    expect(t.sandbox.state.follow("teacher_a", "wm_parent_1")).toBeDefined();

    t.clock.advanceHours(1);
    await t.sandbox.tick();
    await t.sandbox.callbacks.idle();
    expect(t.sandbox.state.follow("teacher_a", "wm_parent_1")).toBeUndefined();
    expect(t.sandbox.state.follow("teacher_b", "wm_parent_1")).toBeDefined();
    const done = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
    expect(done.customer[0].status).toBe(1);

    const [add, del] = events();
    expect(field(add!, "ChangeType")).toBe("add_external_contact");
    expect(field(add!, "UserID")).toBe("teacher_b");
    expect(field(add!, "ExternalUserID")).toBe("wm_parent_1");
    expect(field(del!, "ChangeType")).toBe("del_external_contact");
    expect(field(del!, "UserID")).toBe("teacher_a");
    expect(field(del!, "Source")).toBe("DELETE_BY_TRANSFER");
  });

  it("completes due transfers lazily when any API is called", async () => {
    await onJob(["wm_parent_1"]);
    t.clock.advanceHours(24);
    const res = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
    expect(res.customer[0].status).toBe(1);
  });

  it("lets the customer refuse: status 3 and transfer_fail customer_refused; the customer stays", async () => {
    await onJob(["wm_parent_2"]);
    await t.sandbox.actors.refuseTransfer("wm_parent_2");
    t.clock.advanceHours(25);
    await t.sandbox.tick();
    const res = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
    expect(res.customer[0].status).toBe(3);
    // A refused record has takeover_time 0.
    expect(res.customer[0].takeover_time).toBe(0);
    expect(t.sandbox.state.follow("teacher_a", "wm_parent_2")).toBeDefined();
    const [fail] = events();
    expect(field(fail!, "ChangeType")).toBe("transfer_fail");
    expect(field(fail!, "FailReason")).toBe("customer_refused");
  });

  it("ends in status 4 with customer_limit_exceed when the takeover reaches the customer cap while waiting", async () => {
    await onJob(["wm_parent_3"]);
    t.sandbox.state.limits.customerCap = 1;
    t.sandbox.state.seed({ follows: [{ userid: "teacher_b", externalUserId: "wm_other" }] });
    t.clock.advanceHours(24);
    await t.sandbox.tick();
    expect(t.sandbox.state.transfers[0]!.status).toBe(4);
    expect(t.sandbox.state.follow("teacher_a", "wm_parent_3")).toBeDefined();
    expect(field(events()[0]!, "FailReason")).toBe("customer_limit_exceed");
  });

  it("allows at most 2 on-job transfers per customer in 90 days (40128)", async () => {
    await onJob(["wm_parent_1"]);
    t.clock.advanceHours(24);
    await t.sandbox.tick();
    await t.api.post("customer", TRANSFER, { handover_userid: "teacher_b", takeover_userid: "teacher_c", external_userid: ["wm_parent_1"] });
    t.clock.advanceHours(24);
    await t.sandbox.tick();
    const third = await t.api.post("customer", TRANSFER, { handover_userid: "teacher_c", takeover_userid: "teacher_a", external_userid: ["wm_parent_1"] });
    expect(third.customer[0].errcode).toBe(40128);
    t.clock.advanceDays(89);
    const later = await t.api.post("customer", TRANSFER, { handover_userid: "teacher_c", takeover_userid: "teacher_a", external_userid: ["wm_parent_1"] });
    expect(later.customer[0].errcode).toBe(0);
  });

  it("requires a resigned handover (status 5) for resigned transfers and an active one for on-job", async () => {
    const body = { handover_userid: "teacher_a", takeover_userid: "teacher_b", external_userid: ["wm_parent_1"] };
    expect((await t.api.post("customer", RESIGNED, body)).errcode).toBe(40097);
    await t.sandbox.actors.memberLeaves("teacher_a");
    // A deleted member is unknown to WeCom (60111), so the on-job endpoint cannot name them.
    expect((await onJob(["wm_parent_1"])).errcode).toBe(60111);
    const started = await t.api.post("customer", RESIGNED, body);
    expect(started.customer).toEqual([{ external_userid: "wm_parent_1", errcode: 0 }]);
    t.clock.advanceHours(24);
    await t.sandbox.tick();
    await t.sandbox.callbacks.idle();
    const res = await t.api.post("customer", RESIGNED_RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
    expect(res.customer[0].status).toBe(1);
    const kinds = events().map((x) => `${field(x, "Event")}/${field(x, "ChangeType")}`);
    expect(kinds).toEqual(["change_contact/delete_user", "change_external_contact/add_external_contact"]);
  });

  it("lists a leaver's customers as unassigned, paged by page_size and cursor", async () => {
    await t.sandbox.actors.memberLeaves("teacher_a");
    const first = await t.api.post("customer", "/cgi-bin/externalcontact/get_unassigned_list", { page_id: 0, page_size: 2 });
    expect(first.info).toHaveLength(2);
    expect(first.info[0]).toMatchObject({ handover_userid: "teacher_a", dimission_time: Math.floor(t.clock.now().getTime() / 1000) });
    expect(first.is_last).toBe(false);
    const second = await t.api.post("customer", "/cgi-bin/externalcontact/get_unassigned_list", { page_size: 2, cursor: first.next_cursor });
    expect(second.info).toHaveLength(1);
    expect(second.is_last).toBe(true);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/get_unassigned_list", { page_size: 1001 })).errcode).toBe(40058);
  });
});

describe("sandbox transfer results paging", () => {
  it("pages transfer_result by 1000 with next_cursor", async () => {
    const ids = Array.from({ length: 1050 }, (_, i) => `wm_bulk_${i}`);
    const seed: SeedInput = { ...BASE_SEED, follows: ids.map((id) => ({ userid: "teacher_a", externalUserId: id })) };
    const t = await startTestSandbox({}, seed);
    try {
      for (let i = 0; i < ids.length; i += 100) {
        const res = await t.api.post("customer", TRANSFER, { handover_userid: "teacher_a", takeover_userid: "teacher_b", external_userid: ids.slice(i, i + 100) });
        expect(res.customer.every((c: { errcode: number }) => c.errcode === 0)).toBe(true);
      }
      const page1 = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b" });
      expect(page1.customer).toHaveLength(1000);
      const page2 = await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b", cursor: page1.next_cursor });
      expect(page2.customer).toHaveLength(50);
      expect(page2.next_cursor).toBe("");
      expect((await t.api.post("customer", RESULT, { handover_userid: "teacher_a", takeover_userid: "teacher_b", cursor: "garbage" })).errcode).toBe(40058);
    } finally {
      await t.sandbox.stop();
    }
  });
});
