import { followUpTask } from "../../../src/handover/board/followUpTask";

describe("followUpTask", () => {
  it("gives a refused parent to the successor to invite again, with HR's reassignment as the fallback", () => {
    expect(followUpTask("refused", false)).toEqual({
      owner: "successor",
      action: "重新邀请家长：发送添加好友邀请并说明您是孩子的新老师；家长仍不同意时请人事改派其他老师",
    });
  });

  it("gives HR what only HR can fix: a full successor, a failure WeCom will not retry, a parent with nobody", () => {
    expect(followUpTask("over_limit", false)).toEqual({ owner: "hr", action: "改派其他接替老师（该老师的客户数已达企业微信上限）" });
    expect(followUpTask("failed", false)).toEqual({ owner: "hr", action: "改派其他接替老师，或请 IT 查看企业微信的报错" });
    expect(followUpTask("unassigned", false)).toEqual({ owner: "hr", action: "指定接替老师" });
  });

  it("owes nothing while a transfer moves, is retried by the service, or is done", () => {
    expect(followUpTask("failed", true)).toBeNull();
    for (const state of ["not_started", "sending", "waiting", "done"] as const) expect(followUpTask(state, false)).toBeNull();
  });
});
