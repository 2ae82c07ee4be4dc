import { step } from "./browser";
import { consoleBrowserSuite } from "./consoleBrowserSuite";
import type { ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.LAW18_SHOTS_DIR;

/** Settlement statement, notice deadline and exit interview as HR uses them in the console. */
describe("console: settlement statement and exit interview", () => {
  let h: ConsoleHarness;
  const { signIn, shot } = consoleBrowserSuite(SHOTS, (started) => (h = started));


  it("shows the signing deadline, computes the statement from HR's figures and records the exit interview", async () => {
    const page = await signIn("hr_bj", 390);
    await step(page, "law18-case-deadline", async () => {
      await page.goto(`${h.base}/console/cases/${h.caseBj}`);
      // Registered on Monday 2026-03-02: three working days → Thursday 2026-03-05.
      expect(await page.getByTestId("notice-deadline").textContent()).toBe("2026-03-05");
      await shot(page, "case-deadline-390");
      await page.getByRole("link", { name: "离职结算与面谈" }).click();
    });
    await step(page, "law18-settlement", async () => {
      await page.getByText("离职结算单").waitFor();
      await page.getByLabel("解除/终止事由").selectOption("lcl36_employer_proposed");
      await page.getByLabel(/离职前各月应发工资/).fill(Array(12).fill("12,000").join("; "));
      // Overtime for one month too few: refused with the count the form expects, nothing saved.
      await page.getByLabel(/其中各月加班工资/).fill(Array(11).fill("1,125").join("; "));
      await page.getByLabel("当年年休假天数").fill("10");
      await page.getByLabel("当年已休天数").fill("0");
      await page.getByRole("button", { name: "保存并核算" }).click();
      await page.getByText("各月加班工资须与各月工资一一对应：工资填了 12 个月，加班工资填了 11 个月（没有加班的月份填 0）", { exact: true }).waitFor();
      expect(await page.locator("body").innerText()).not.toContain("monthlyOvertimeFen");
      await shot(page, "settlement-overtime-refused-390");
      await page.goto(`${h.base}/console/cases/${h.caseBj}/settlement`);
      await page.getByLabel("解除/终止事由").selectOption("lcl36_employer_proposed");
      await page.getByLabel(/离职前各月应发工资/).fill(Array(12).fill("12,000").join("; "));
      await page.getByLabel(/其中各月加班工资/).fill(Array(12).fill("1,125").join("; "));
      await page.getByLabel("当年年休假天数").fill("10");
      await page.getByLabel("当年已休天数").fill("0");
      await page.getByRole("button", { name: "保存并核算" }).click();
      await page.getByText("结算数据已保存，金额已重新核算。").waitFor();
      // Compensation's month keeps the overtime (¥12,000); leave pay's leaves it out: ¥12,000 − ¥1,125 = ¥10,875 ÷ 21.75 = ¥500.
      expect(await page.getByText("剔除加班工资后的月平均工资 ¥10,875.00 ÷ 21.75").count()).toBe(1);
      expect(await page.getByLabel(/其中各月加班工资/).inputValue()).toBe(Array(12).fill("1125.00").join("; "));
      const lines = await page.getByTestId("settlement-lines").innerText();
      // Hired 2022-03-01; the last day requested by the harness decides the months — read it from the statement's own text.
      expect(lines).toContain("经济补偿（办结工作交接时支付）");
      expect(lines).toContain("待工作交接办结后支付");
      expect(await page.getByText(/经济补偿 = ¥12,000.00 × /).count()).toBe(1);
      expect(lines).toContain("× ¥500.00 × 200%");
      await shot(page, "settlement-390");
    });
    await step(page, "law18-exit-interview", async () => {
      await page.getByLabel("面谈时间（北京时间）").fill("2026-03-04T15:00");
      await page.getByLabel("面谈人").selectOption({ label: "北京人事" });
      await page.getByRole("button", { name: "安排面谈" }).click();
      await page.getByText("离职面谈已安排，已通知员工和面谈人。").waitFor();
      expect(await page.getByTestId("exit-interview").textContent()).toBe("已安排：2026-03-04 15:00:00，面谈人 北京人事");
      await page.getByLabel("薪酬福利").check();
      await page.getByLabel("家庭原因").check();
      await page.getByLabel("确认离职").check();
      await page.getByLabel("返聘建议").selectOption("recommended");
      await page.getByRole("button", { name: "记录结果" }).click();
      await page.getByText("离职面谈结果已记录。").waitFor();
      const recorded = await page.getByTestId("exit-interview").innerText();
      expect(recorded).toContain("薪酬福利、家庭原因");
      expect(recorded).toContain("确认离职");
      expect(recorded).toContain("建议返聘");
      await shot(page, "exit-interview-390");
    });
    const wide = await signIn("hr_bj", 1280);
    await wide.goto(`${h.base}/console/cases/${h.caseBj}/settlement`);
    await shot(wide, "settlement-1280");
  }, 120_000);

  it("another campus's HR cannot open the statement", async () => {
    const page = await signIn("hr_sh", 390);
    const res = await page.goto(`${h.base}/console/cases/${h.caseBj}/settlement`);
    expect(res?.status()).toBe(403);
  });
});
