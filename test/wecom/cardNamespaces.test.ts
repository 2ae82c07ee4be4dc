import type { EntityManager } from "typeorm";
import { silentLogger, type Logger } from "../../src/platform/logger";
import type { TemplateCardEvent } from "../../src/wecom/events/types";
import { InboxDispatcher, type InboxHandlerContext } from "../../src/wecom/inbox/dispatcher";

const click = (taskId: string): TemplateCardEvent => ({ type: "template_card_event", corpId: "ww1", from: "hr_a", createTime: 1, eventKey: "approve", taskId, selectedItems: [] });

/** Issue 17: card clicks are routed by the namespace their task_id carries, not by each handler guessing. */
describe("card task-id namespaces", () => {
  const warnings: unknown[] = [];
  const log = { ...silentLogger(), warn: (o: unknown) => void warnings.push(o) } as unknown as Logger;
  const ctx = { manager: {} as EntityManager, inboxId: "1", log, afterCommit: () => undefined, shared: (_k: string, load: () => Promise<unknown>) => load() } as unknown as InboxHandlerContext;

  it("routes each click to the one capability owning its namespace, and logs a click of no namespace", async () => {
    const seen: string[] = [];
    const d = new InboxDispatcher()
      .registerCards("rs_", async (e) => void seen.push(`resignation ${e.taskId}`))
      .registerCards("alert-", async (e) => void seen.push(`alerts ${e.taskId}`));
    const handle = d.handlerFor("template_card_event")!;
    await handle(click("rs_abc_r1"), ctx);
    await handle(click("alert-42"), ctx);
    await handle(click("other-1"), ctx);
    expect(seen).toEqual(["resignation rs_abc_r1", "alerts alert-42"]);
    expect(warnings).toEqual([{ taskId: "other-1", userid: "hr_a" }]);
  });

  it("refuses a namespace that overlaps another or is not a task_id prefix", () => {
    const d = new InboxDispatcher().registerCards("rs_", async () => undefined);
    expect(() => d.registerCards("rs_", async () => undefined)).toThrow(/overlaps/);
    expect(() => d.registerCards("r", async () => undefined)).toThrow(/ends in one of/);
    expect(() => d.registerCards("a b-", async () => undefined)).toThrow(/ends in one of/);
  });
});
