import { applyFollowStep, foldFollowSteps, type FollowRow, type FollowStep } from "../../src/parents/followFold";

const key = { staffUserid: "li", externalUserid: "wmParentA" };
const now = new Date("2026-03-02T01:00:00Z");
const at = (iso: string) => new Date(iso);
const edit = (iso: string, follow: Partial<FollowStep & { kind: "follow" }>["follow"] = { userid: "li" }): FollowStep => ({ kind: "follow", follow: follow!, eventAt: at(iso) });
const status = (iso: string, s: "deleted_by_staff" | "deleted_by_parent" | "transferred_away"): FollowStep => ({ kind: "status", status: s, eventAt: at(iso) });

describe("follow relation fold (one event at a time, the rule behind the batched write)", () => {
  it("an add makes an active relation with WeCom's follow info and the event's time", () => {
    const row = applyFollowStep(undefined, key, edit("2026-03-01T10:00:00Z", { userid: "li", remark: "王同学妈妈", createtime: 1772400000, add_way: 1, tags: [{ group_name: "年级", tag_name: "三年级", tag_id: "t3" }] }), now);
    expect(row).toEqual({
      ...key, remark: "王同学妈妈", description: null, tags: [{ group: "年级", name: "三年级", id: "t3" }], addTime: new Date(1772400000 * 1000), addWay: 1,
      operUserid: null, state: null, status: "active", lastEventAt: at("2026-03-01T10:00:00Z"), updatedAt: now,
    });
  });

  it("a delete of a relation never seen records that it existed and ended, with nothing else", () => {
    expect(applyFollowStep(undefined, key, status("2026-03-01T10:00:00Z", "deleted_by_parent"), now)).toEqual({
      ...key, remark: null, description: null, tags: [], addTime: null, addWay: null, operUserid: null, state: null, status: "deleted_by_parent", lastEventAt: at("2026-03-01T10:00:00Z"), updatedAt: now,
    });
  });

  it("an older event leaves the row as it is (the same object); an equal time applies (the later arrival wins)", () => {
    const row = applyFollowStep(undefined, key, status("2026-03-01T12:00:00Z", "deleted_by_parent"), now);
    expect(applyFollowStep(row, key, edit("2026-03-01T10:00:00Z"), now)).toBe(row);
    expect(applyFollowStep(row, key, status("2026-03-01T12:00:00Z", "deleted_by_staff"), now).status).toBe("deleted_by_staff");
  });

  it("a delete keeps the follow info; an edit without createtime keeps the start of the relation", () => {
    const steps = [
      edit("2026-03-01T10:00:00Z", { userid: "li", remark: "王同学妈妈", createtime: 1772400000 }),
      status("2026-03-01T12:00:00Z", "deleted_by_parent"),
      // WeCom retries the add late: it must not resurrect the relation.
      edit("2026-03-01T10:00:00Z", { userid: "li" }),
    ];
    const row = foldFollowSteps(undefined, key, steps, now)!;
    expect([row.status, row.remark, row.addTime]).toEqual(["deleted_by_parent", "王同学妈妈", new Date(1772400000 * 1000)]);
    const readded = foldFollowSteps(row, key, [edit("2026-03-02T08:00:00Z", { userid: "li", remark: "新备注" })], now)!;
    expect([readded.status, readded.remark, readded.addTime]).toEqual(["active", "新备注", new Date(1772400000 * 1000)]);
  });

  it("no steps: the row as it was", () => {
    const row: FollowRow | undefined = undefined;
    expect(foldFollowSteps(row, key, [], now)).toBeUndefined();
  });
});
