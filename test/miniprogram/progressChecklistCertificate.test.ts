/** @jest-environment jsdom */
import { flush, render } from "./support/simulate";
import { signForm, text } from "./support/signing";
import { apiError, fakeCanvas, installWx, json, provideCanvas, type Route } from "./support/wxStub";

const earliest = { lastDay: "2025-12-22", basis: "standard", noticeDays: 30, explanation: "", caveats: [] };
const baseCase = {
  id: "case-9",
  status: "approving",
  statusLabel: "审批中",
  requestedLastDay: "2025-12-31",
  lastDay: "2025-12-31",
  noticeDate: "2025-11-22",
  reasonCategory: "further_study",
  reasonText: "深造",
  handoverNotes: "",
  earliest,
  noticeSigned: true,
  approvals: [
    { step: "department_head", label: "部门负责人", approverName: "张校长", decision: "approved", decidedAt: "2025-11-22T02:00:00Z" },
    { step: "hr", label: "人事", approverName: "王老师", decision: "pending" },
  ],
  timeline: [
    { at: "2025-11-22T01:00:00Z", kind: "created", label: "提出离职" },
    { at: "2025-11-22T02:00:00Z", kind: "approval", label: "部门负责人已同意" },
  ],
  transfers: { total: 12, done: 5, waiting: 7, failed: 0 },
  certificateIssued: false,
  canWithdraw: true,
};

async function open(page: string, route: Route, query: Record<string, string> = { id: "case-9" }) {
  const wx = installWx(route);
  const comp = render(page);
  await comp.instance.onLoad(query);
  await flush();
  return { wx, page: comp };
}

describe("我的离职进度 page", () => {
  it("finds the open case from the overview and shows approvals, transfers and the timeline (newest first)", async () => {
    const { page } = await open(
      "pages/resign/progress/index",
      (req) =>
        req.url === "/api/mp/resignation/overview"
          ? json(200, { case: { id: "case-9" }, earliest })
          : json(200, { case: baseCase }),
      {},
    );
    expect(text(page, ".summary")).toContain("审批中");
    expect(text(page, ".last-day")).toBe("2025年12月31日");
    expect(text(page, ".approvals")).toContain("已同意 · 2025年11月22日 10:00");
    expect(text(page, ".approvals")).toContain("待处理");
    expect(text(page, ".transfers")).toContain("已完成 5");
    expect(page.data.timeline.map((t: any) => t.kind)).toEqual(["approval", "created"]);
    expect(page.querySelector(".go-certificate")).toBeUndefined();
  });

  it("offers to start when there is no case", async () => {
    const { wx, page } = await open("pages/resign/progress/index", () => json(200, { case: null, earliest }), {});
    expect(text(page, ".no-case")).toContain("没有进行中的离职申请");
    page.querySelector(".go-start").dispatchEvent("tap");
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: "/pages/resign/start/index" });
  });

  it("refreshes on pull-down", async () => {
    let status = "审批中";
    const { wx, page } = await open("pages/resign/progress/index", () => json(200, { case: { ...baseCase, statusLabel: status } }));
    status = "交接中";
    await page.instance.onPullDownRefresh();
    await flush();
    expect(text(page, ".summary")).toContain("交接中");
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  });

  it("withdraws after a gentle confirmation, and explains when it is no longer possible", async () => {
    const withdraw = jest.fn((_req: any) => json(200, { case: { ...baseCase, statusLabel: "已撤回", canWithdraw: false } }));
    const { wx, page } = await open("pages/resign/progress/index", (req) => (req.method === "POST" ? withdraw(req) : json(200, { case: baseCase })));
    page.querySelector(".withdraw").dispatchEvent("tap");
    await flush(10);
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: "撤回离职申请", editable: true }));
    expect(withdraw.mock.calls[0]![0]).toMatchObject({ url: "/api/mp/resignations/case-9/withdraw", data: { reason: "计划有变" } });
    expect(text(page, ".summary")).toContain("已撤回");
    expect(page.querySelector(".withdraw")).toBeUndefined();

    const late = await open("pages/resign/progress/index", (req) =>
      req.method === "POST" ? apiError(409, "conflict", "审批已完成，无法撤回，请联系人事") : json(200, { case: { ...baseCase, canWithdraw: false } }),
    );
    late.page.instance.withdraw();
    await flush(10);
    expect(text(late.page, ".page-error")).toBe("审批已完成，无法撤回，请联系人事");
  });
});

describe("交接清单 page", () => {
  const checklist = {
    items: [
      { id: "i1", kind: "parents", title: "家长群转交", owner: "leaver", auto: true, done: false },
      { id: "i2", kind: "materials", title: "教学资料移交", owner: "leaver", auto: false, done: false },
      { id: "i3", kind: "laptop", title: "归还电脑", owner: "it", auto: false, done: true, doneAt: "2025-11-23T01:00:00Z", verifiedBy: "IT 小刘" },
    ],
    signatures: [{ role: "supervisor", roleLabel: "监交人", name: "张校长", signedAt: "2025-11-23T02:00:00Z" }],
    myRole: "handover",
    complete: false,
  };

  it("lets the leaver mark own manual items done and sign as 移交人", async () => {
    const posts: any[] = [];
    const { page } = await open("pages/resign/checklist/index", (req) => {
      if (req.method === "GET") return json(200, { checklist });
      posts.push(req);
      if (req.url.endsWith("/done")) {
        return json(200, { checklist: { ...checklist, items: checklist.items.map((i) => (i.id === "i2" ? { ...i, done: true } : i)) } });
      }
      return json(200, {
        checklist: { ...checklist, signatures: [...checklist.signatures, { role: "handover", roleLabel: "移交人", name: "李明", signedAt: "2025-11-23T03:00:00Z" }] },
      });
    });
    expect(page.querySelector(".item-i1 .mark-done")).toBeUndefined(); // automatic
    expect(page.querySelector(".item-i3 .mark-done")).toBeUndefined(); // someone else's
    expect(text(page, ".item-i3")).toContain("IT 小刘核对");
    expect(text(page, ".signatures")).toContain("监交人：张校长");

    page.querySelector(".item-i2 .mark-done").dispatchEvent("tap");
    await flush(10);
    expect(posts[0]).toMatchObject({ url: "/api/mp/resignations/case-9/checklist/items/i2/done" });
    expect(page.querySelector(".item-i2 .mark-done")).toBeUndefined();

    expect(text(page, ".sign")).toContain("以移交人身份签字");
    await signForm(page, { name: "李明" });
    expect(posts[1]).toMatchObject({ url: "/api/mp/resignations/case-9/checklist/sign", data: { typedName: "李明", confirm: true } });
    expect(text(page, ".signatures")).toContain("移交人：李明");
    expect(page.querySelector(".sign")).toBeUndefined();
  });

  it("shows the server's reason when an item cannot be marked", async () => {
    const { page } = await open("pages/resign/checklist/index", (req) =>
      req.method === "GET" ? json(200, { checklist }) : apiError(403, "forbidden", "这一项需要由接收人确认"),
    );
    page.querySelector(".item-i2 .mark-done").dispatchEvent("tap");
    await flush(10);
    expect(text(page, ".page-error")).toBe("这一项需要由接收人确认");
  });
});

describe("离职证明 page", () => {
  const certificate = {
    text: "离职证明\n兹证明李明自2022年9月1日至2025年12月31日在本校担任语文教师。",
    fields: { employeeName: "李明", employer: "某某教育", position: "语文教师", contractTerm: "", terminationDate: "2025-12-31", yearsOfService: 3, issueDate: "2026-01-01" },
    sha256: "d".repeat(64),
  };

  it("shows the certificate, copies it and saves it as an image", async () => {
    const { wx, page } = await open("pages/resign/certificate/index", () => json(200, { certificate }));
    expect(text(page, ".certificate-text")).toContain("担任语文教师");

    page.querySelector(".copy-text").dispatchEvent("tap");
    await flush();
    expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: expect.stringContaining("d".repeat(64)) }));

    const canvas = fakeCanvas();
    provideCanvas(page.instance, canvas);
    page.querySelector(".save-image").dispatchEvent("tap");
    await flush();
    expect(canvas.ctx.fillText).toHaveBeenCalledWith("离职证明", 60, 60);
    expect(wx.canvasToTempFilePath).toHaveBeenCalledWith(expect.objectContaining({ canvas, fileType: "png" }));
    expect(wx.saveImageToPhotosAlbum).toHaveBeenCalledWith(expect.objectContaining({ filePath: "wxfile://tmp/cert.png" }));
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "已保存到相册" }));
  });

  it("says calmly that the certificate is not issued yet (404), and explains a refused album permission", async () => {
    const { page } = await open("pages/resign/certificate/index", () => apiError(404, "not_found", "未找到"));
    expect(text(page, ".not-issued")).toContain("还没有开具");
    expect(page.querySelector(".page-error")).toBeUndefined();

    const other = await open("pages/resign/certificate/index", () => json(200, { certificate }));
    other.wx.saveImageToPhotosAlbum.mockImplementation((o: any) => o.fail({ errMsg: "saveImageToPhotosAlbum:fail auth deny" }));
    provideCanvas(other.page.instance, fakeCanvas());
    other.page.querySelector(".save-image").dispatchEvent("tap");
    await flush();
    expect(text(other.page, ".page-error")).toContain("允许访问相册");
  });
});
