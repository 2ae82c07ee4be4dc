/** @jest-environment jsdom */
import { flush, render } from "./support/simulate";
import { signForm, text } from "./support/signing";
import { answer, serverWorkRules } from "./support/serverFixtures";
import { apiError, installWx, type Route } from "./support/wxStub";

// The rules as the server builds them, before and after signing (real document and evidence hashes).
const unsigned = serverWorkRules();
const signed = serverWorkRules({ typedName: "李明", at: "2025-11-22T10:05:00Z", signatureImage: Buffer.from("png-bytes") });

async function open(route: Route) {
  const wx = installWx(route);
  const page = render("pages/onboarding/rules/index");
  await page.instance.onLoad({});
  await flush();
  return { wx, page };
}

describe("工作账号规则 page", () => {
  it("shows the rules with the PIPL notice, then signs the text shown with device info", async () => {
    const sign = jest.fn((_req: any) => answer.workRules(signed)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const { wx, page } = await open((req) => (req.method === "GET" ? answer.workRules(unsigned) : sign(req)));
    expect(text(page, ".rules-title")).toBe("企业微信工作账号使用规则及员工个人信息处理告知书");
    expect(text(page, ".rules-text")).toContain("通过工作账号添加的家长（客户）、建立的家长群及其中的沟通记录，属于学校的经营资源");
    expect(text(page, ".rules-text")).toContain("《个人信息保护法》第十七条");
    expect(text(page, ".rules-text")).not.toContain("liming");

    let form = await signForm(page, { draw: false, confirm: false });
    expect(text(form, ".sf-error-signatureImage")).toBe("请在签名区域手写签名");
    expect(sign).not.toHaveBeenCalled();

    form = await signForm(page, { name: " 李明 " });
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0]).toMatchObject({
      url: "/api/mp/work-rules/sign",
      data: {
        typedName: "李明",
        signatureImage: expect.stringMatching(/^data:image\/png;base64,/),
        confirm: true,
        device: { model: "iPhone 15", system: "iOS 17.4", platform: "ios", version: "4.1.0" },
        documentSha256: unsigned.sha256,
      },
    });
    expect(text(page, ".signed-at")).toBe("2025年11月22日 18:05");
    expect(text(page, ".document-hash")).toBe(unsigned.sha256);
    expect(page.querySelector("#form")).toBeUndefined();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "签署完成" }));
  });

  it("a changed text (409) shows what the server holds now", async () => {
    let gets = 0;
    const { page } = await open((req) =>
      req.method === "GET" ? answer.workRules(gets++ === 0 ? unsigned : signed) : apiError(409, "conflict", "规则内容已更新，请重新阅读后再签署"),
    );
    await signForm(page, { name: "李明" });
    expect(text(page, ".page-error")).toBe("规则内容已更新，请重新阅读后再签署");
    expect(text(page, ".signed")).toContain("李明");
  });
});
