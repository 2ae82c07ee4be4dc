/** @jest-environment jsdom */
import { flush, render } from "./support/simulate";
import { signForm, text } from "./support/signing";
import { answer, CASE_ID, serverNotice } from "./support/serverFixtures";
import { apiError, installWx, type Route } from "./support/wxStub";

// The written notice as the server builds it, before and after signing (real document and evidence hashes).
const unsigned = serverNotice();
const signed = serverNotice({ typedName: "李明", at: "2025-11-22T10:05:00Z", signatureImage: Buffer.from("png-bytes") });

async function open(route: Route) {
  const wx = installWx(route);
  const page = render("pages/resign/sign/index");
  await page.instance.onLoad({ id: CASE_ID });
  await flush();
  return { wx, page };
}

describe("签署离职申请 page", () => {
  it("shows the notice, validates the signature form locally, then signs with device info", async () => {
    const sign = jest.fn((_req: any) => answer.notice(signed));
    const { wx, page } = await open((req) => (req.method === "GET" ? answer.notice(unsigned) : sign(req)));
    expect(text(page, ".notice-text")).toContain("本人李明，现任一分校语文教师。因继续深造：攻读教育学硕士");
    expect(text(page, ".notice-text")).not.toContain("liming");

    let form = await signForm(page, { draw: false, confirm: false });
    expect(text(form, ".sf-error-signatureImage")).toBe("请在签名区域手写签名");
    expect(text(form, ".sf-error-typedName")).toBe("请输入你的姓名");
    expect(text(form, ".sf-error-confirm")).toBe("请勾选确认后再签署");
    expect(sign).not.toHaveBeenCalled();

    form = await signForm(page, { name: " 李明 " });
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0]).toMatchObject({
      url: `/api/mp/resignations/${CASE_ID}/notice/sign`,
      data: {
        typedName: "李明",
        signatureImage: expect.stringMatching(/^data:image\/png;base64,/),
        confirm: true,
        device: { model: "iPhone 15", system: "iOS 17.4", platform: "ios", version: "4.1.0" },
      },
    });
    expect(text(page, ".signed-at")).toBe("2025年11月22日 18:05");
    expect(text(page, ".document-hash")).toBe(unsigned.sha256);
    expect(page.querySelector("#form")).toBeUndefined();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "签署完成" }));
  });

  it("puts the server's name mismatch next to the name field", async () => {
    const { page } = await open((req) =>
      req.method === "GET"
        ? answer.notice(unsigned)
        : apiError(400, "validation_failed", "请检查签署信息", [{ path: "typedName", message: "姓名需与企业微信中的姓名一致" }]),
    );
    const form = await signForm(page, { name: "李敏" });
    expect(text(page, ".page-error")).toBe("请检查签署信息");
    expect(text(form, ".sf-error-typedName")).toBe("姓名需与企业微信中的姓名一致");
  });

  it("shows an already-signed notice as the signed document", async () => {
    const { page } = await open(() => answer.notice(signed));
    expect(text(page, ".signed")).toContain("李明");
    expect(page.querySelector("#form")).toBeUndefined();
  });
});
