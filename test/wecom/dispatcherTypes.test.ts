import { InboxDispatcher, type EventOfKind } from "../../src/wecom/inbox/dispatcher";

/**
 * Typed dispatch (issue 17): a handler receives the event its kind names, so no handler casts; a kind
 * WeCom does not send does not compile. Checked by `npm run typecheck` (which covers test/) and run here.
 */
describe("typed inbox dispatch", () => {
  it("narrows the event to the registered kind, and refuses unknown kinds at compile time", async () => {
    const dispatcher = new InboxDispatcher();
    const seen: string[] = [];
    dispatcher.register("change_external_contact:transfer_fail", async (event) => {
      // failReason exists only on transfer_fail: this line would not compile for a wider event.
      seen.push(event.failReason);
    });
    dispatcher.register("change_contact", async (event) => {
      seen.push(event.changeType);
    });
    // @ts-expect-error — not a kind WeCom sends
    dispatcher.register("change_external_contact:transfer_failed", async () => undefined);
    // @ts-expect-error — a text message has no changeType
    dispatcher.register("text:anything", async () => undefined);

    const failed: EventOfKind<"change_external_contact:transfer_fail"> = {
      type: "change_external_contact",
      changeType: "transfer_fail",
      failReason: "customer_refused",
      corpId: "c",
      from: "sys",
      createTime: 1,
      userId: "t_b",
      externalUserId: "wm_1",
    };
    const ctx = { manager: undefined as never, inboxId: "1", log: undefined as never };
    await dispatcher.handlerFor("change_external_contact:transfer_fail")!(failed, ctx);
    expect(seen).toEqual(["customer_refused"]);
  });
});
