import { ValidationError } from "../../../src/platform/errors";
import {
  completeManualItem,
  evaluateAutoItems,
  generateChecklist,
  isAutoVerified,
  isComplete,
  signChecklist,
  type Checklist,
  type ChecklistSource,
} from "../../../src/resignation/rules/handoverChecklist";

const source: ChecklistSource = {
  parents: [
    { externalUserId: "wm-1", name: "王妈妈", suggestedSuccessorUserId: "teacher-li" },
    { externalUserId: "wm-2", name: "赵爸爸" },
  ],
  groupChats: [{ chatId: "wr-1", name: "三年级数学家长群", suggestedSuccessorUserId: "teacher-li" }],
  classes: [{ classId: "c1", name: "三年级数学A班", studentCount: 18 }],
  openFollowUps: [{ id: "f1", summary: "王妈妈咨询续费" }],
  accounts: [{ key: "wecom", label: "企业微信" }],
  devices: [{ assetTag: "PAD-007", label: "教学平板" }],
  branchItems: [{ key: "keys", label: "归还教室钥匙" }],
};

const at = "2026-03-30T08:00:00.000Z";
const allDoneFacts = { remainingParentIds: [], remainingGroupChatIds: [], disabledAccountKeys: ["wecom"] };

function finishManual(c: Checklist): Checklist {
  for (const key of ["class:c1", "follow_up:f1", "device:PAD-007", "custom:keys"]) c = completeManualItem(c, key, { userId: "hr", at });
  return c;
}

describe("handover checklist", () => {
  it("generates items from the leaver's data, with a suggested successor per parent", () => {
    const c = generateChecklist(source);
    expect(c.items.map((i) => [i.key, i.kind])).toEqual([
      ["parents", "all_parents_transferred"],
      ["groups", "all_groups_transferred"],
      ["class:c1", "class_handover"],
      ["follow_up:f1", "follow_up"],
      ["account:wecom", "account_disabled"],
      ["device:PAD-007", "device_returned"],
      ["custom:keys", "custom"],
    ]);
    expect(c.items[0].label).toBe("转接全部家长（2位）");
    expect(c.items[0].entries).toEqual([
      { id: "wm-1", name: "王妈妈", suggestedSuccessorUserId: "teacher-li" },
      { id: "wm-2", name: "赵爸爸", suggestedSuccessorUserId: undefined },
    ]);
    expect(c.items[2].label).toBe("交接班级：三年级数学A班（学员18名）");
    expect(c.items.every((i) => !i.done)).toBe(true);
    expect(c.signatures).toEqual([]);
  });

  it("refuses duplicate items (e.g. the same device twice)", () => {
    expect(() => generateChecklist({ ...source, devices: [source.devices[0], source.devices[0]] })).toThrow(/重复/);
  });

  it("auto items follow the facts, both ways", () => {
    let c = generateChecklist(source);
    c = evaluateAutoItems(c, { remainingParentIds: ["wm-2"], remainingGroupChatIds: [], disabledAccountKeys: [] });
    const byKey = (k: string) => c.items.find((i) => i.key === k)!;
    expect(byKey("parents")).toMatchObject({ done: false, detail: "尚有1位家长未转接" });
    expect(byKey("groups")).toMatchObject({ done: true, detail: "全部家长群已转让（三年级数学家长群）" });
    // A group still with the leaver is named, never shown by its chat id.
    c = evaluateAutoItems(c, { remainingParentIds: [], remainingGroupChatIds: ["wr-1"], disabledAccountKeys: [] });
    expect(byKey("groups")).toMatchObject({ done: false, detail: "尚有1个家长群未转让：三年级数学家长群" });
    expect(byKey("account:wecom")).toMatchObject({ done: false, detail: "企业微信账号尚未停用" });
    c = evaluateAutoItems(c, allDoneFacts);
    expect(byKey("parents")).toMatchObject({ done: true, detail: "全部家长已转接（企业微信确认）" });
    expect(byKey("account:wecom")).toMatchObject({ done: true, detail: "企业微信账号已停用或已删除" });
    // A parent re-added after the transfer reopens the item.
    c = evaluateAutoItems(c, { ...allDoneFacts, remainingParentIds: ["wm-9"] });
    expect(byKey("parents").done).toBe(false);
    // Manual items are untouched by facts.
    expect(byKey("class:c1").done).toBe(false);
  });

  it("says how many of the remaining parents refused or could not be transferred", () => {
    const c = evaluateAutoItems(generateChecklist(source), { ...allDoneFacts, remainingParentIds: ["wm-1", "wm-2"], parentsNeedingFollowUp: 1 });
    expect(c.items[0]).toMatchObject({ done: false, detail: "尚有2位家长未转接，其中1位拒绝或未能转接，需跟进" });
  });

  it("only the WeCom account verifies itself; another account is IT's to confirm, whatever WeCom says", () => {
    const withEdu = { ...source, accounts: [{ key: "wecom", label: "企业微信" }, { key: "edu", label: "教务系统" }] };
    expect(isAutoVerified("account_disabled", "account:wecom")).toBe(true);
    expect(isAutoVerified("account_disabled", "account:edu")).toBe(false);
    expect(isAutoVerified("all_parents_transferred", "parents")).toBe(true);
    expect(isAutoVerified("device_returned", "device:PAD-007")).toBe(false);
    let c = evaluateAutoItems(generateChecklist(withEdu), { ...allDoneFacts, disabledAccountKeys: ["wecom", "edu"] });
    expect(c.items.find((i) => i.key === "account:edu")).toMatchObject({ done: false });
    expect(c.items.find((i) => i.key === "account:edu")!.detail).toBeUndefined();
    c = completeManualItem(c, "account:edu", { userId: "it-zhao", at });
    expect(c.items.find((i) => i.key === "account:edu")).toMatchObject({ done: true, completedBy: "it-zhao" });
  });

  it("manual items are ticked by a person; auto items cannot be", () => {
    const c = completeManualItem(generateChecklist(source), "device:PAD-007", { userId: "it-zhao", at });
    expect(c.items.find((i) => i.key === "device:PAD-007")).toMatchObject({ done: true, completedBy: "it-zhao", completedAt: at });
    expect(() => completeManualItem(c, "parents", { userId: "hr", at })).toThrow(/自动核验/);
    expect(() => completeManualItem(c, "account:wecom", { userId: "hr", at })).toThrow(ValidationError);
    expect(() => completeManualItem(c, "nope", { userId: "hr", at })).toThrow(/没有该项目/);
  });

  it("signatures need a finished list, one per role, three different people", () => {
    const unfinished = generateChecklist(source);
    expect(() => signChecklist(unfinished, { role: "outgoing", userId: "zhangsan", at })).toThrow(/尚有7项交接未完成/);

    let c = finishManual(evaluateAutoItems(generateChecklist(source), allDoneFacts));
    c = signChecklist(c, { role: "outgoing", userId: "zhangsan", at });
    expect(() => signChecklist(c, { role: "outgoing", userId: "zhangsan", at })).toThrow(/移交人已签字/);
    expect(() => signChecklist(c, { role: "supervisor", userId: "zhangsan", at })).toThrow(/多个身份/);
    c = signChecklist(c, { role: "receiver", userId: "teacher-li", at });
    expect(isComplete(c)).toBe(false);
    c = signChecklist(c, { role: "supervisor", userId: "principal", at });
    expect(isComplete(c)).toBe(true);
  });

  it("is no longer complete if an auto item reopens after signing", () => {
    let c = finishManual(evaluateAutoItems(generateChecklist(source), allDoneFacts));
    for (const [role, userId] of [["outgoing", "a"], ["receiver", "b"], ["supervisor", "c"]] as const) c = signChecklist(c, { role, userId, at });
    expect(isComplete(c)).toBe(true);
    expect(isComplete(evaluateAutoItems(c, { ...allDoneFacts, remainingGroupChatIds: ["wr-1"] }))).toBe(false);
  });

  it("an empty leaver still needs the auto checks and the three signatures", () => {
    const empty = { parents: [], groupChats: [], classes: [], openFollowUps: [], accounts: [], devices: [], branchItems: [] };
    let c = evaluateAutoItems(generateChecklist(empty), allDoneFacts);
    expect(c.items.every((i) => i.done)).toBe(true);
    expect(isComplete(c)).toBe(false);
    for (const [role, userId] of [["outgoing", "a"], ["receiver", "b"], ["supervisor", "c"]] as const) c = signChecklist(c, { role, userId, at });
    expect(isComplete(c)).toBe(true);
  });
});
