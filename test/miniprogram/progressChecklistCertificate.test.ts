/** @jest-environment jsdom */
import { readFileSync } from "node:fs";
import path from "node:path";
import { flush, MP_ROOT, render } from "./support/simulate";
import { signForm, text } from "./support/signing";
import { answer, CASE_ID, caseRow, checklistRows, dossier, serverCase, serverCertificate, serverChecklist, serverEarliest, serverOverview, step } from "./support/serverFixtures";
import { apiError, fakeCanvas, installWx, provideCanvas, type Route } from "./support/wxStub";

// Every answer below is what the server's presenters return for a server-typed row (support/serverFixtures).
const earliest = serverEarliest("2025-11-22");
const decided = new Date("2025-11-22T02:00:00Z");
const inApproval = caseRow({ state: "in_approval" });
const approvalFacts = {
  noticeSigned: true,
  steps: [
    step({ step: "department_head", position: 0, approverUserids: ["zhangxz"], decision: "approved", decidedBy: "zhangxz", decidedAt: decided }),
    step({ step: "hr", position: 1, approverUserids: ["wangls"], decision: "pending" }),
  ],
  approverNames: new Map([
    ["zhangxz", "张校长"],
    ["wangls", "王老师"],
  ]),
  dossier: dossier([
    { at: "2025-11-22T01:00:00Z", kind: "case_started" },
    { at: "2025-11-22T01:30:00Z", kind: "checklist_generated" },
    { at: "2025-11-22T02:00:00Z", kind: "approval_decided", payload: { step: "department_head", decision: "approved" } },
  ]),
  transfers: { total: 12, transferred: 5, failed: 0 },
};
const baseCase = serverCase(inApproval, approvalFacts);

async function open(page: string, route: Route, query: Record<string, string> = { id: CASE_ID }) {
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
        req.url === "/api/mp/resignation/overview" ? answer.overview(serverOverview(inApproval, "2025-11-23")) : answer.case(baseCase),
      {},
    );
    expect(text(page, ".summary")).toContain("交接审批中");
    expect(text(page, ".last-day")).toBe("2025年12月31日");
    expect(text(page, ".approvals")).toContain("已同意 · 2025年11月22日 10:00");
    expect(text(page, ".approvals")).toContain("待处理");
    expect(text(page, ".transfers")).toContain("已完成 5");
    // The dossier's internal bookkeeping (checklist_generated) is not on the employee's timeline.
    expect(page.data.timeline.map((t: any) => t.kind)).toEqual(["approval", "created"]);
    expect(text(page, ".approvals")).toContain("张校长");
    expect(page.querySelector(".go-certificate")).toBeUndefined();
  });

  it("offers to start when there is no case", async () => {
    const { wx, page } = await open("pages/resign/progress/index", () => answer.overview({ case: null, earliest }), {});
    expect(text(page, ".no-case")).toContain("没有进行中的离职申请");
    page.querySelector(".go-start").dispatchEvent("tap");
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: "/pages/resign/start/index" });
  });

  it("refreshes on pull-down", async () => {
    let row = inApproval;
    const { wx, page } = await open("pages/resign/progress/index", () => answer.case(serverCase(row, approvalFacts)));
    row = caseRow({ state: "handover_in_progress" });
    await page.instance.onPullDownRefresh();
    await flush();
    expect(text(page, ".summary")).toContain("交接中");
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  });

  it("withdraws after a gentle confirmation, and explains when it is no longer possible", async () => {
    // After signing, a withdrawal waits for HR (CC 137): the server moves the case to withdrawal_requested.
    const requested = serverCase(caseRow({ state: "withdrawal_requested", resumeState: "in_approval" }), approvalFacts);
    expect(requested.canWithdraw).toBe(false);
    const withdraw = jest.fn((_req: any) => answer.case(requested));
    const { wx, page } = await open("pages/resign/progress/index", (req) => (req.method === "POST" ? withdraw(req) : answer.case(baseCase)));
    page.querySelector(".withdraw").dispatchEvent("tap");
    await flush(10);
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: "撤回离职申请", editable: true }));
    expect(withdraw.mock.calls[0]![0]).toMatchObject({ url: `/api/mp/resignations/${CASE_ID}/withdraw`, data: { reason: "计划有变" } });
    expect(text(page, ".summary")).toContain("撤回申请待公司确认");
    expect(page.querySelector(".withdraw")).toBeUndefined();

    const late = await open("pages/resign/progress/index", (req) =>
      req.method === "POST" ? apiError(409, "conflict", "审批已完成，无法撤回，请联系人事") : answer.case(baseCase),
    );
    late.page.instance.withdraw();
    await flush(10);
    expect(text(late.page, ".page-error")).toBe("审批已完成，无法撤回，请联系人事");
  });
});

describe("交接清单 page", () => {
  // The server's generator: parents (automatic), a class to hand over (the leaver's), a laptop to return (IT's).
  const [parents, classItem, laptop] = checklistRows({
    parents: [{ externalUserId: "wmParentWang", name: "王妈妈" }],
    classes: [{ classId: "c3-2", name: "三年二班", studentCount: 40 }],
    devices: [{ assetTag: "NB-0042", label: "笔记本电脑" }],
  });
  const items = [parents!, classItem!, { ...laptop!, doneAt: new Date("2025-11-23T01:00:00Z"), doneBy: "liu.it" }];
  const supervisorSigned = [{ role: "supervisor" as const, userid: "zhangxz", name: "张校长", signedAt: new Date("2025-11-23T02:00:00Z") }];
  const names = new Map([["liu.it", "刘工"]]);
  const checklist = serverChecklist(items, supervisorSigned, "handover", names);

  it("the server's checklist is what the test expects: kinds it generates, an automatic parents item, IT's laptop ticked by name", () => {
    expect(checklist.items.map((i) => [i.kind, i.owner, i.auto, i.done])).toEqual([
      ["all_parents_transferred", "leaver", true, false],
      ["class_handover", "leaver", false, false],
      ["device_returned", "it", false, true],
    ]);
    expect(checklist.items[2]!.verifiedBy).toBe("刘工");
  });

  it("lets the leaver mark own manual items done and sign as 移交人", async () => {
    const posts: any[] = [];
    const { page } = await open("pages/resign/checklist/index", (req) => {
      if (req.method === "GET") return answer.checklist(checklist);
      posts.push(req);
      const classDone = items.map((i) => (i === classItem ? { ...i, doneAt: new Date("2025-11-23T02:30:00Z"), doneBy: "liming" } : i));
      if (req.url.endsWith("/done")) return answer.checklist(serverChecklist(classDone, supervisorSigned, "handover", names));
      const signedByLeaver = [...supervisorSigned, { role: "handover" as const, userid: "liming", name: "李明", signedAt: new Date("2025-11-23T03:00:00Z") }];
      return answer.checklist(serverChecklist(classDone, signedByLeaver, "handover", names));
    });
    expect(page.querySelector(`.item-${parents!.id} .mark-done`)).toBeUndefined(); // automatic
    expect(page.querySelector(`.item-${laptop!.id} .mark-done`)).toBeUndefined(); // someone else's
    expect(text(page, `.item-${laptop!.id}`)).toContain("刘工核对");
    expect(text(page, `.item-${laptop!.id}`)).not.toContain("liu.it");
    expect(text(page, ".signatures")).toContain("监交人：张校长");

    page.querySelector(`.item-${classItem!.id} .mark-done`).dispatchEvent("tap");
    await flush(10);
    expect(posts[0]).toMatchObject({ url: `/api/mp/resignations/${CASE_ID}/checklist/items/${classItem!.id}/done` });
    expect(page.querySelector(`.item-${classItem!.id} .mark-done`)).toBeUndefined();

    expect(text(page, ".sign")).toContain("以移交人身份签字");
    await signForm(page, { name: "李明" });
    expect(posts[1]).toMatchObject({ url: `/api/mp/resignations/${CASE_ID}/checklist/sign`, data: { typedName: "李明", confirm: true } });
    expect(text(page, ".signatures")).toContain("移交人：李明");
    expect(page.querySelector(".sign")).toBeUndefined();
  });

  it("shows the server's reason when an item cannot be marked", async () => {
    const { page } = await open("pages/resign/checklist/index", (req) =>
      req.method === "GET" ? answer.checklist(checklist) : apiError(403, "forbidden", "这一项需要由接收人确认"),
    );
    page.querySelector(`.item-${classItem!.id} .mark-done`).dispatchEvent("tap");
    await flush(10);
    expect(text(page, ".page-error")).toBe("这一项需要由接收人确认");
  });
});

describe("离职证明 page", () => {
  const certificate = serverCertificate();

  it("shows the certificate, copies it and saves it as an image", async () => {
    const { wx, page } = await open("pages/resign/certificate/index", () => answer.certificate(certificate));
    expect(text(page, ".certificate-title")).toBe("离职证明");
    expect(text(page, ".certificate-text")).toContain("担任语文教师");

    page.querySelector(".copy-text").dispatchEvent("tap");
    await flush();
    expect(wx.setClipboardData).toHaveBeenCalledWith({ data: `离职证明\n\n${certificate.text}\n\n文书指纹（SHA-256）：${certificate.sha256}` });

    const canvas = fakeCanvas();
    provideCanvas(page.instance, canvas);
    page.querySelector(".save-image").dispatchEvent("tap");
    await flush();
    expect(canvas.ctx.fillText).toHaveBeenCalledWith("离职证明", 375, 60);
    expect(canvas.ctx.fillText).toHaveBeenCalledWith("兹证明", 60, 60 + 2 * 44);
    expect(wx.canvasToTempFilePath).toHaveBeenCalledWith(expect.objectContaining({ canvas, fileType: "png" }));
    expect(wx.saveImageToPhotosAlbum).toHaveBeenCalledWith(expect.objectContaining({ filePath: "wxfile://tmp/cert.png" }));
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "已保存到相册" }));
  });

  it("says calmly that the certificate is not issued yet (404), and explains a refused album permission", async () => {
    const { page } = await open("pages/resign/certificate/index", () => apiError(404, "not_found", "未找到"));
    expect(text(page, ".not-issued")).toContain("还没有开具");
    expect(page.querySelector(".page-error")).toBeUndefined();

    const other = await open("pages/resign/certificate/index", () => answer.certificate(certificate));
    other.wx.saveImageToPhotosAlbum.mockImplementation((o: any) => o.fail({ errMsg: "saveImageToPhotosAlbum:fail auth deny" }));
    provideCanvas(other.page.instance, fakeCanvas());
    other.page.querySelector(".save-image").dispatchEvent("tap");
    await flush();
    expect(text(other.page, ".page-error")).toBe("保存到相册需要“添加到相册”权限。请点「去设置」打开后再保存，或先使用「复制全文」");
    // WeChat's settings page opens from a tap on the open-type button; coming back with the album allowed saves again.
    // (miniprogram-simulate does not keep a button's open-type: the page's WXML is read for it.)
    expect(readFileSync(path.join(MP_ROOT, "pages/resign/certificate/index.wxml"), "utf8")).toMatch(/class="btn-plain open-setting" open-type="openSetting" bindopensetting="onSettingDone"/);
    other.wx.saveImageToPhotosAlbum.mockImplementation((o: any) => o.success({}));
    other.page.querySelector(".open-setting").dispatchEvent("opensetting", { detail: { authSetting: { "scope.writePhotosAlbum": true } } });
    await flush();
    expect(other.wx.saveImageToPhotosAlbum).toHaveBeenCalledTimes(2);
    expect(other.wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "已保存到相册" }));
    expect(other.page.querySelector(".open-setting")).toBeUndefined();
    expect(other.page.querySelector(".page-error")).toBeUndefined();
  });

  it("says nothing when the person cancels saving, and offers a retry when the certificate cannot be loaded", async () => {
    const { wx, page } = await open("pages/resign/certificate/index", () => answer.certificate(certificate));
    wx.saveImageToPhotosAlbum.mockImplementation((o: any) => o.fail({ errMsg: "saveImageToPhotosAlbum:fail cancel" }));
    provideCanvas(page.instance, fakeCanvas());
    page.querySelector(".save-image").dispatchEvent("tap");
    await flush();
    expect(page.querySelector(".page-error")).toBeUndefined();
    expect(page.querySelector(".open-setting")).toBeUndefined();

    let calls = 0;
    const down = await open("pages/resign/certificate/index", () => (++calls === 1 ? apiError(503, "unavailable", "服务暂时不可用") : answer.certificate(certificate)));
    expect(down.page.querySelector(".page-error")).toBeDefined();
    down.page.querySelector(".retry").dispatchEvent("tap");
    await flush(10);
    expect(down.page.querySelector(".page-error")).toBeUndefined();
    expect(text(down.page, ".certificate-title")).toBe("离职证明");
  });
});
