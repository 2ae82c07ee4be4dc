/** @jest-environment jsdom */
import { flush, pickerProbe, render, simulate } from "./support/simulate";
import { answer, CASE_ID, caseRow, serverCase, serverEarliest, serverOverview } from "./support/serverFixtures";
import { apiError, installWx, json, type Route } from "./support/wxStub";
import { appJson } from "./support/appJson";

// What the server answers on 2025-11-22 for someone out of probation (its notice rule and wording).
const today = "2025-11-22";
const earliest = serverEarliest(today);
const created = serverCase(caseRow({ state: "notice_pending_signature", requestedLastDay: "2026-01-05", lastDay: "2026-01-05" }));

async function open(route: Route) {
  const wx = installWx(route);
  const page = render("pages/resign/start/index", { picker: pickerProbe() });
  await page.instance.onLoad({});
  await flush();
  await settleDialog();
  return { wx, page };
}

const overviewRoute =
  (post: Route = () => answer.case(created, 201)): Route =>
  (req) =>
    req.url === "/api/mp/resignation/overview" ? answer.overview(serverOverview(null, today)) : post(req);

/** WeUI's dialog hides its wrapper 300 ms after `show` turns false (its fade-out), also once when it is first ready. */
const settleDialog = () => simulate.sleep(350);

/** The WeUI dialog's buttons as drawn (their text) and a tap on one of them. */
function dialogButtons(page: any): string[] {
  return page.querySelector(".confirm-dialog").querySelectorAll(".weui-dialog__btn").map((b: any) => b.dom.textContent);
}
async function tapDialog(page: any, text: string) {
  const dialog = page.querySelector(".confirm-dialog");
  const button = dialog.querySelectorAll(".weui-dialog__btn").find((b: any) => b.dom.textContent === text);
  button.dispatchEvent("tap");
  await flush();
}

async function fill(page: any, form: { category?: number; reason?: string; day?: string; notes?: string }) {
  if (form.category !== undefined) page.querySelector(".reason-picker").dispatchEvent("change", { detail: { value: form.category } });
  if (form.reason !== undefined) page.querySelector(".reason-text").dispatchEvent("input", { detail: { value: form.reason } });
  if (form.day !== undefined) page.querySelector(".date-picker").dispatchEvent("change", { detail: { value: form.day } });
  if (form.notes !== undefined) page.querySelector(".handover-notes").dispatchEvent("input", { detail: { value: form.notes } });
  await flush();
}

describe("发起离职 page", () => {
  it("shows the earliest lawful day with its explanation and caveats", async () => {
    const { wx, page } = await open(overviewRoute());
    const html = page.dom.innerHTML;
    expect(html).toContain("2025年12月22日");
    expect(html).toContain("第三十七条");
    expect(earliest.caveats.length).toBeGreaterThan(0);
    for (const caveat of earliest.caveats) expect(html).toContain(caveat);
    expect(page.data.requestedLastDay).toBe("2025-12-22");
    // The picker itself refuses days before the earliest lawful one.
    expect(page.querySelector(".date-picker").data).toMatchObject({ mode: "date", start: "2025-12-22", value: "2025-12-22" });
    expect(wx.qy.login).toHaveBeenCalledTimes(1);
  });

  it("validates required fields, length and the earliest date before calling the server", async () => {
    const post = jest.fn(() => answer.case(created, 201));
    const { page } = await open(overviewRoute(post));
    await fill(page, { day: "2025-12-01", reason: "   " });
    page.querySelector(".submit").dispatchEvent("tap");
    await flush();
    expect(page.querySelector(".error-reasonCategory").dom.textContent).toBe("请选择离职原因类别");
    expect(page.querySelector(".error-reasonText").dom.textContent).toBe("请简单写一下离职原因");
    expect(page.querySelector(".error-requestedLastDay").dom.textContent).toBe("最后工作日不能早于 2025-12-22");
    await fill(page, { category: 1, reason: "想".repeat(501), day: "2025-12-31" });
    page.querySelector(".submit").dispatchEvent("tap");
    await flush();
    expect(page.data.errors).toEqual({ reasonText: "离职原因不超过 500 字" });
    expect(post).not.toHaveBeenCalled();
  });

  it("submits the form and moves on to signing", async () => {
    const post = jest.fn((_req: any) => answer.case(created, 201));
    const { wx, page } = await open(overviewRoute(post));
    await fill(page, { category: 5, reason: " 去读研究生 ", day: "2026-01-05", notes: "三年二班家长群" });
    page.querySelector(".submit").dispatchEvent("tap");
    await flush();
    await tapDialog(page, "确认提交");
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls[0]![0]).toMatchObject({
      method: "POST",
      url: "/api/mp/resignations",
      data: { reasonCategory: "further_study", reasonText: "去读研究生", requestedLastDay: "2026-01-05", handoverNotes: "三年二班家长群" },
      header: { Authorization: "Bearer tok" },
    });
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: `/pages/resign/sign/index?id=${CASE_ID}` });
  });

  it("asks once in WeUI's dialog before sending: 再想想 sends nothing, 确认提交 sends", async () => {
    // Wired the way WeChat loads it: WeUI from the extended library, under the page's own tag.
    expect((appJson as { useExtendedLib?: Record<string, boolean> }).useExtendedLib).toEqual({ weui: true });
    const post = jest.fn((_req: any) => answer.case(created, 201));
    const { wx, page } = await open(overviewRoute(post));
    expect(page.querySelector(".confirm-dialog").querySelector(".weui-dialog__title")).toBeUndefined();
    await fill(page, { category: 5, reason: "去读研究生", day: "2026-01-05" });
    page.querySelector(".submit").dispatchEvent("tap");
    await flush();
    const dialog = page.querySelector(".confirm-dialog");
    expect(dialog.querySelector(".weui-dialog__title").dom.textContent.trim()).toBe("确认提出离职？");
    expect(page.querySelector(".confirm-text").dom.textContent).toBe("最后工作日：2026年1月5日");
    expect(dialogButtons(page)).toEqual(["再想想", "确认提交"]);
    expect(post).not.toHaveBeenCalled();

    await tapDialog(page, "再想想");
    await settleDialog();
    expect(page.querySelector(".confirm-dialog").querySelector(".weui-dialog__title")).toBeUndefined();
    expect(page.data.confirming).toBe(false);
    expect(post).not.toHaveBeenCalled();
    expect(page.data.reasonText).toBe("去读研究生");

    page.querySelector(".submit").dispatchEvent("tap");
    await flush();
    await tapDialog(page, "确认提交");
    expect(post).toHaveBeenCalledTimes(1);
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: `/pages/resign/sign/index?id=${CASE_ID}` });
  });

  it("shows server field errors next to the fields", async () => {
    const { page } = await open(
      overviewRoute(() =>
        apiError(400, "validation_failed", "请检查填写的内容", [{ path: "requestedLastDay", message: "试用期内需提前三日通知，最早 2025-11-25" }]),
      ),
    );
    await fill(page, { category: 0, reason: "个人安排", day: "2025-12-23" });
    page.querySelector(".submit").dispatchEvent("tap");
    await flush();
    await tapDialog(page, "确认提交");
    expect(page.querySelector(".page-error").dom.textContent).toBe("请检查填写的内容");
    expect(page.querySelector(".error-requestedLastDay").dom.textContent).toBe("试用期内需提前三日通知，最早 2025-11-25");
  });

  it("shows an existing open case instead of the form, and a calm message when the server is down", async () => {
    const { page } = await open(() => answer.overview(serverOverview(caseRow({ state: "in_approval" }), today)));
    expect(page.querySelector(".open-case").dom.textContent).toContain("交接审批中");
    expect(page.querySelector(".submit")).toBeUndefined();

    const down = await open(() => json(503, { error: { code: "unavailable", message: "db down" } }));
    expect(down.page.querySelector(".page-error").dom.textContent).toBe("服务暂时不可用，请稍后再试。你填写的内容不会丢失");
  });
});
