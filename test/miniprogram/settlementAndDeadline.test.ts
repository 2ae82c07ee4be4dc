/** @jest-environment jsdom */
import { flush, render } from "./support/simulate";
import { signForm, text } from "./support/signing";
import { answer, CASE_ID, caseRow, serverCase, serverNotice, serverSettlement } from "./support/serverFixtures";
import { apiError, installWx, type Route } from "./support/wxStub";

// Every answer is what the server's presenters return (support/serverFixtures): settlementView for
// the statement, caseView for the case and its written-notice deadline.

async function open(page: string, route: Route) {
  const wx = installWx(route);
  const comp = render(page);
  await comp.instance.onLoad({ id: CASE_ID });
  await flush();
  return { wx, page: comp };
}

/** 李明: hired 2022-09-01, last day 2025-12-31 (3 years 4 months), ¥9,000 a month for 12 months, ¥300 of it overtime. */
const wages = {
  ground: "lcl38_employer_fault" as const,
  updatedBy: "hr_wang",
  updatedAt: new Date("2025-12-20T02:00:00Z"),
  monthlyWagesFen: Array<number>(12).fill(900_000),
  monthlyOvertimeFen: Array<number>(12).fill(30_000),
  annualLeave: { entitlementDays: 5, takenDays: 2 },
};
const city = { departmentId: 2, city: "北京市", year: 2025, averageMonthlyWageFen: 1_000_000, minimumMonthlyWageFen: 269_000, source: "北京市人社局", updatedBy: "hr_wang", updatedAt: new Date("2025-01-10T00:00:00Z") };

describe("离职结算单 page", () => {
  it("LCL 38: final wages paid on the last day, leave at 200%, compensation with its computation waiting for the handover, file transfer due", async () => {
    const statement = serverSettlement({
      today: "2026-01-02",
      ground: "lcl38_employer_fault",
      input: wages,
      local: city,
      released: { finalWagesAt: new Date("2025-12-31T10:00:00Z"), compensationAt: null, archiveDeadline: "2026-01-15", archivedAt: null },
    });
    const route = jest.fn((_req: any) => answer.settlement(statement));
    const { page } = await open("pages/resign/settlement/index", route);
    expect(route.mock.calls[0]![0]).toMatchObject({ method: "GET", url: `/api/mp/resignations/${CASE_ID}/settlement` });

    expect(text(page, ".ground")).toContain("因用人单位过错解除");
    expect(text(page, ".ground")).toContain("依据：《劳动合同法》第三十八条、《劳动合同法》第四十六条第一项");
    // Final wages: released on the last day (18:00 China time), whatever the handover.
    expect(text(page, ".final-wages")).toContain("已发放 · 2025年12月31日 18:00");
    expect(text(page, ".final-wages")).toContain("支付时间：2025年12月31日（最后工作日），与交接进度无关");
    expect(text(page, ".final-wages")).toContain("不得以工作交接未完成为由扣发或缓发");
    // Leave by hand: 2025 fully worked → 365/365 × 5 = 5 − 2 taken = 3 days; overtime left out
    // (带薪年休假实施办法 11): ¥9,000 − ¥300 = ¥8,700 ÷ 21.75 = ¥400; 3 × ¥400 × 200% = ¥2,400
    // (with overtime it would have been ¥413.79 a day and ¥2,482.74).
    expect(text(page, ".leave .amount")).toBe("¥2,400.00");
    expect(text(page, ".leave")).toContain("3 天 × 日工资 ¥400.00 × 200%");
    expect(text(page, ".leave .rate")).toBe("日工资 = 离职前 12 个月的月平均工资 ¥8,700.00（不含加班工资）÷ 21.75");
    expect(text(page, ".leave")).toContain("2025年12月31日（与最后工资一并支付）");
    // Compensation by hand: 3 years 4 months → 3.5 months; ¥9,000 ≤ 3 × ¥10,000, above ¥2,690 → 3.5 × ¥9,000 = ¥31,500.
    expect(text(page, ".compensation .amount")).toBe("¥31,500.00");
    expect(text(page, ".compensation .status-tag")).toBe("待工作交接办结后支付");
    expect(page.querySelectorAll(".computation-step").map((n: any) => n.dom.textContent)).toEqual([
      "1. 工作年限：2022年9月1日至2025年12月31日，计 3.5 个月工资（满一年计一个月，六个月以上不满一年按一年，不满六个月按半个月）。",
      // Compensation keeps overtime in its month (实施条例 27).
      "2. 月工资：离职前 12 个月平均工资 ¥9,000.00（含加班工资，《劳动合同法实施条例》第二十七条）。",
      "3. 经济补偿 = ¥9,000.00 × 3.5 = ¥31,500.00。",
    ]);
    expect(text(page, ".compensation")).toContain("《劳动合同法》第四十七条、《劳动合同法实施条例》第二十七条、《劳动合同法》第五十条");
    expect(text(page, ".transfer")).toContain("待办理，期限 2026年1月15日");
    expect(text(page, ".transfer")).toContain("档案和社会保险关系须在2026年1月15日前转移（解除劳动合同后15日内，《劳动合同法》第五十条）");
    expect(page.querySelector(".warnings")).toBeUndefined();
    // A person never reads our keys.
    expect(page.dom.textContent).not.toMatch(/lcl38|LCL|WPR|hr_wang/);
  });

  it("plain resignation before HR entered figures: no compensation (LCL 37), amounts pending, wages still due on the last day", async () => {
    const { page } = await open("pages/resign/settlement/index", () => answer.settlement(serverSettlement()));
    expect(text(page, ".warnings")).toBe("人事尚未录入离职前12个月工资和年休假天数，金额待核算；最后工资仍须在最后工作日足额支付。");
    expect(text(page, ".final-wages .status-tag")).toBe("应于2025年12月31日发放");
    expect(page.querySelector(".leave")).toBeUndefined();
    expect(text(page, ".compensation")).toContain("经济补偿：不适用（劳动者提前通知解除）");
    expect(text(page, ".compensation")).toContain("劳动者依《劳动合同法》第三十七条主动辞职的，用人单位无需支付经济补偿。");
    expect(text(page, ".transfer .status-tag")).toBe("离职证明开具后开始计算");
  });

  it("compensation owed but not yet computed says so; once the handover is done it is payable; an overdue transfer is flagged", async () => {
    const pending = serverSettlement({ ground: "lcl36_employer_proposed" });
    const { page } = await open("pages/resign/settlement/index", () => answer.settlement(pending));
    expect(text(page, ".compensation .amount")).toBe("待人事核算");

    const done = serverSettlement({
      today: "2026-01-20",
      ground: "lcl36_employer_proposed",
      input: { ...wages, ground: "lcl36_employer_proposed" },
      local: city,
      handoverComplete: true,
      released: { finalWagesAt: new Date("2025-12-31T10:00:00Z"), compensationAt: null, archiveDeadline: "2026-01-15", archivedAt: null },
    });
    const later = await open("pages/resign/settlement/index", () => answer.settlement(done));
    expect(text(later.page, ".compensation .status-tag")).toBe("交接已办结，应支付");
    expect(text(later.page, ".transfer .status-tag")).toBe("已超过期限，请联系人事");
  });

  it("a refusal shows the server's reason and can be retried", async () => {
    let refuse = true;
    const { page } = await open("pages/resign/settlement/index", () =>
      refuse ? apiError(403, "forbidden", "只能查看本人的离职结算") : answer.settlement(serverSettlement()),
    );
    expect(text(page, ".page-error")).toBe("只能查看本人的离职结算");
    refuse = false;
    page.querySelector(".retry").dispatchEvent("tap");
    await flush();
    expect(page.querySelector(".page-error")).toBeUndefined();
    expect(text(page, ".ground")).toContain("离职结算单");
  });
});

describe("written-notice deadline in the mini-program (seed 004)", () => {
  const deadline = { setOn: "2026-02-13", workingDays: 3, deadline: "2026-02-25", uncoveredYears: [], escalatedAt: null };
  const unsignedCase = serverCase(caseRow({ state: "notice_pending_signature" }), { deadline });

  it("the progress page shows the deadline with the link to sign, and leads to the settlement statement", async () => {
    const { wx, page } = await open("pages/resign/progress/index", () => answer.case(unsignedCase));
    expect(text(page, ".deadline-headline")).toBe("请在2026年2月25日前签署书面离职通知（3个工作日内，按国家法定节假日安排计算）");
    expect(page.querySelector(".deadline-caveat")).toBeUndefined();
    page.querySelector(".go-settlement").dispatchEvent("tap");
    page.querySelector(".go-sign").dispatchEvent("tap");
    await flush();
    expect(wx.navigateTo.mock.calls).toEqual([[{ url: `/pages/resign/settlement/index?id=${CASE_ID}` }], [{ url: `/pages/resign/sign/index?id=${CASE_ID}` }]]);
  });

  it("a deadline in a year not loaded yet carries the weekends-only caveat; a passed one says HR follows up and signing still counts", async () => {
    const provisional = serverCase(caseRow({ state: "notice_pending_signature" }), {
      deadline: { setOn: "2026-12-30", workingDays: 3, deadline: "2027-01-04", uncoveredYears: [2027], escalatedAt: null },
    });
    const { page } = await open("pages/resign/progress/index", () => answer.case(provisional));
    expect(text(page, ".deadline-caveat")).toBe("2027年的法定节假日安排尚未录入，该期限暂按“周一至周五为工作日”估算；安排录入后系统将重新计算并通知您。");

    const passed = serverCase(caseRow({ state: "notice_pending_signature" }), { deadline: { ...deadline, escalatedAt: new Date("2026-02-25T16:20:00Z") } });
    const late = await open("pages/resign/progress/index", () => answer.case(passed));
    expect(text(late.page, ".deadline-overdue")).toBe("签署期限已过，已转人事跟进；现在签署仍然有效。");
  });

  it("no deadline banner once signed; no settlement link on a withdrawn case", async () => {
    const signed = await open("pages/resign/progress/index", () => answer.case(serverCase(caseRow({ state: "in_approval" }), { deadline, noticeSigned: true })));
    expect(signed.page.querySelector(".deadline")).toBeUndefined();
    expect(signed.page.querySelector(".go-settlement")).toBeDefined();
    const withdrawn = await open("pages/resign/progress/index", () => answer.case(serverCase(caseRow({ state: "withdrawn" }), { deadline })));
    expect(withdrawn.page.querySelector(".go-settlement")).toBeUndefined();
  });

  it("the signing page shows the deadline and why, and drops it once the leaver signs", async () => {
    const signedNotice = serverNotice({ typedName: "李明", at: "2026-02-24T02:00:00Z", signatureImage: Buffer.from("png-bytes") });
    const sign = jest.fn((_req: any) => answer.notice(signedNotice));
    const { page } = await open("pages/resign/sign/index", (req) =>
      req.method === "POST" ? sign(req) : req.url.endsWith("/notice") ? answer.notice(serverNotice()) : answer.case(unsignedCase),
    );
    expect(text(page, ".deadline-headline")).toBe("请在2026年2月25日前签署书面离职通知（3个工作日内，按国家法定节假日安排计算）");
    expect(text(page, ".deadline")).toContain("《劳动合同法》第三十七条要求劳动者以书面形式提前通知");
    await signForm(page, { name: "李明" });
    expect(sign).toHaveBeenCalledTimes(1);
    expect(page.querySelector(".deadline")).toBeUndefined();
    expect(text(page, ".signed")).toContain("已签署");
  });
});
