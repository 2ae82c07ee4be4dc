import { TestClock } from "../../src/platform/clock";
import { silentLogger } from "../../src/platform/logger";
import { CallbackDeliverer } from "../../src/sandbox/callbacks/deliverer";
import { changeExternalChat, changeExternalContact, msgauditNotify, type SandboxEvent } from "../../src/sandbox/callbacks/events";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { parseEvent, parseXml } from "../../src/wecom/events/parseEvent";
import { allEventFixtures, eventFixture } from "../fixtures/wecom/loadFixture";

/**
 * Callback events as WeCom sends them (test/fixtures/wecom/events, each with its source): our parser reads every
 * one into a known event with exactly the fields WeCom sent, and the sandbox sends the same elements for the same
 * event, so a test against the sandbox exercises what production receives.
 */
describe("WeCom's published callback events through our parser (test/fixtures/wecom/events)", () => {
  it("parses every fixture into a known event, never 'unknown'", () => {
    const fixtures = allEventFixtures();
    expect(fixtures.length).toBeGreaterThanOrEqual(16);
    for (const f of fixtures) expect({ name: f.name, type: parseEvent(f.xml).type }).not.toEqual({ name: f.name, type: "unknown" });
  });

  it("reads the customer-contact and archive events exactly", () => {
    const common = { corpId: "toUser", from: "sys", createTime: 1403610513 };
    expect(parseEvent(eventFixture("change_external_contact.del_external_contact").xml)).toEqual({
      ...common, type: "change_external_contact", changeType: "del_external_contact", userId: "zhangsan", externalUserId: "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w",
    });
    expect(parseEvent(eventFixture("change_external_contact.del_follow_user").xml)).toEqual({
      ...common, type: "change_external_contact", changeType: "del_follow_user", userId: "zhangsan", externalUserId: "woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA",
    });
    // A real one carries <State>; it is read all the same.
    expect(parseEvent(eventFixture("change_external_contact.del_follow_user.real_capture").xml)).toEqual({
      corpId: "ww5f4c472a66331eeb", from: "sys", createTime: 1634117861, type: "change_external_contact", changeType: "del_follow_user", userId: "ycg", externalUserId: "wmFOeKDQAAuIIoxInKmpVmhxjrN3tHqA",
    });
    expect(parseEvent(eventFixture("change_external_contact.transfer_fail").xml)).toEqual({
      ...common, type: "change_external_contact", changeType: "transfer_fail", failReason: "customer_refused", userId: "zhangsan", externalUserId: "woAJ2GCAAAXtWyujaWJHDDGi0mAAAA",
    });
    expect(parseEvent(eventFixture("change_external_chat.update").xml)).toEqual({
      corpId: "ww55ca070cb9b7eb22", from: "sys", createTime: 1403610513, type: "change_external_chat", changeType: "update", chatId: "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ",
      updateDetail: "add_member", joinScene: "1", quitScene: "0", memChangeCnt: "10", memChangeList: ["Jack", "Rose"],
      lastMemVer: "9c3f97c2ada667dfb5f6d03308d963e1", curMemVer: "71217227bbd112ecfe3a49c482195cb4",
    });
    expect(parseEvent(eventFixture("msgaudit_notify").xml)).toEqual({ corpId: "CorpID", from: "sys", createTime: 1629101687, agentId: "2000004", type: "msgaudit_notify" });
  });
});

describe("the sandbox sends the events WeCom sends (same elements as the fixtures)", () => {
  const deliverer = new CallbackDeliverer({ corp: SANDBOX_CORP, clock: new TestClock(), logger: silentLogger() });
  const sandboxXml = async (event: SandboxEvent) => (await deliverer.send(event)).xml;
  const elements = (xml: string) => Object.keys(parseXml(xml).xml as Record<string, unknown>).sort();

  it.each([
    ["change_external_contact.del_external_contact", changeExternalContact("teacher_a", "wm_parent_1", { changeType: "del_external_contact" })],
    ["change_external_contact.del_follow_user", changeExternalContact("teacher_a", "wm_parent_1", { changeType: "del_follow_user" })],
    ["change_external_contact.transfer_fail", changeExternalContact("teacher_b", "wm_parent_1", { changeType: "transfer_fail", failReason: "customer_refused" })],
    ["change_external_chat.update", changeExternalChat("wr_group_1", { changeType: "update", updateDetail: "add_member", joinScene: 1, quitScene: 0, memberIds: ["wm_parent_2", "wm_parent_3"], lastMemVer: 1, curMemVer: 2 })],
    ["msgaudit_notify", msgauditNotify(SANDBOX_CORP.agentId)],
  ] as const)("%s", async (name, event) => {
    const fixture = eventFixture(name).xml;
    const ours = await sandboxXml(event);
    expect(elements(ours)).toEqual(elements(fixture));
    const [mine, theirs] = [parseEvent(ours), parseEvent(fixture)];
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    expect({ type: mine.type, changeType: (mine as { changeType?: string }).changeType }).toEqual({ type: theirs.type, changeType: (theirs as { changeType?: string }).changeType });
  });
});
