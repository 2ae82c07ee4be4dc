import { step } from "./browser";
import { consoleBrowserSuite } from "./consoleBrowserSuite";
import type { ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.PEOPLE_SHOTS_DIR;

/** Teachers' qualifications as HR and a campus head use them in the console; the plan's "无同学科持证教师". */
describe("console: teacher qualifications", () => {
  let h: ConsoleHarness;
  const { signIn, shot } = consoleBrowserSuite(SHOTS, (started) => (h = started));

  const header = "账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至";

  it("HR imports a file, sees every bad row named, fixes it and reads the list; the plan says when nobody is certified", async () => {
    const page = await signIn("hr_bj", 390);
    await step(page, "people-plan-note", async () => {
      // The harness prepared 张老师's plan: her co-teachers teach 语文 and 英语, nobody holds a 数学 certificate.
      await page.goto(`${h.base}/console/handover/teacher_a`);
      expect(await page.getByTestId("qualification-note").textContent()).toBe(
        "无同学科持证教师：没有可接替的老师持有数学学科的教师资格证，方案中的接替老师未持该学科证书，请人事确认",
      );
      await shot(page, "plan-no-certified-390");
    });
    await step(page, "people-refused", async () => {
      await page.getByRole("link", { name: "教师资质" }).click();
      await page.getByText("还没有登记任何资质。").waitFor();
      const bad = `${header}\nt_b,王老师,教师资格证,,20154405112000123,数学,高级中学,2022-09-01,\nt_c,刘老师,教师资格证,,20164405112000456,英语,大学,2023-13-01,\nteacher_s,上海老师,其他证书,急救证,A1234,,,,2027-01-01\n`;
      await page.getByLabel("选择 CSV 文件（UTF-8）").setInputFiles({ name: "资质.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
      // The file picker fills the text box (the page's own script reads the file).
      await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { value: string } } }).document.getElementById("csv").value.length > 0);
      expect(await page.getByLabel(/或粘贴 CSV 内容/).inputValue()).toBe(bad);
      await page.getByRole("button", { name: "导入" }).click();
      const refused = await page.getByTestId("import-refused").innerText();
      expect(refused).toContain("CSV 中有 2 处错误，未导入任何数据");
      expect(refused).toContain("第 3 行「注册日期」：「2023-13-01」不是有效日期，应为 YYYY-MM-DD");
      expect(refused).toContain("第 3 行「学段」：应为 幼儿园、小学、初级中学、高级中学、中等职业学校、中等职业学校实习指导、高等学校 之一");
      await shot(page, "qualifications-refused-390");
    });
    await step(page, "people-imported", async () => {
      const good = `${header}\nt_b,王老师,教师资格证,,20154405112000123,数学,高级中学,2021-05-30,\nt_c,刘老师,其他证书,普通话水平测试等级证书,4411000123,,,2019-05-01,2029-04-30\n`;
      await page.getByLabel(/或粘贴 CSV 内容/).fill(good);
      await page.getByRole("button", { name: "导入" }).click();
      await page.getByText("导入完成：新增 2 条，更新 0 条，未变化 0 条。到期前 90、30、7 天将提醒教师本人和校区人事。").waitFor();
      const table = await page.getByTestId("qualifications").innerText();
      // Today is 2026-03-02: 王老师's registration of 2021-05-30 is due 2026-05-30 (89 days), within 90 days.
      expect(table).toContain("王老师");
      expect(table).toContain("教师资格证（高级中学·数学）");
      expect(table).toContain("2026-05-30 前完成定期注册");
      expect(table).toContain("即将到期");
      expect(table).toContain("2029-04-30 前办理续期");
      expect(table).not.toContain("t_b");
      await shot(page, "qualifications-390");
      const again = `${good}`;
      await page.getByLabel(/或粘贴 CSV 内容/).fill(again);
      await page.getByRole("button", { name: "导入" }).click();
      await page.getByText("导入完成：新增 0 条，更新 0 条，未变化 2 条。", { exact: false }).waitFor();
    });
    await step(page, "people-plan-refreshed", async () => {
      // 王老师's 数学 certificate, imported after 张老师's plan was made, refreshed the plan's suggestion and note.
      await page.goto(`${h.base}/console/handover/teacher_a`);
      expect(await page.getByTestId("qualification-note").count()).toBe(0);
      expect(await page.getByTestId("certificate-change-note").textContent()).toMatch(/^2026-03-02 教师资质有变化，接替建议已重新计算：.*「无同学科持证教师」提示已消除。人事指定的接替老师未改动。$/);
      await shot(page, "plan-certificate-refreshed-390");
    });
    await step(page, "people-edit", async () => {
      await page.goto(`${h.base}/console/qualifications`);
      await page.getByRole("link", { name: "教师资格证（高级中学·数学）" }).click();
      await page.getByLabel("注册日期（教师资格证每 5 年定期注册）").fill("2026-02-27");
      await page.getByLabel("学段（教师资格证必填）").selectOption("初级中学");
      await page.getByRole("button", { name: "保存修改" }).click();
      await page
        .getByText("已更新王老师的教师资格证（编号 20154405112000123）：学段：高级中学 → 初级中学；注册日期：2021-05-30 → 2026-02-27")
        .waitFor();
      const table = await page.getByTestId("qualifications").innerText();
      expect(table).toContain("2031-02-27 前完成定期注册");
      await shot(page, "qualifications-edited-390");
      // A refused edit stays on the form, says why, and keeps what was typed.
      await page.getByRole("link", { name: "教师资格证（初级中学·数学）" }).click();
      await page.getByLabel("注册日期（教师资格证每 5 年定期注册）").fill("2027-01-01");
      await page.getByRole("button", { name: "保存修改" }).click();
      expect(await page.getByTestId("edit-refused").textContent()).toBe("未保存：注册日期：不能晚于今天");
      expect(await page.getByLabel("注册日期（教师资格证每 5 年定期注册）").inputValue()).toBe("2027-01-01");
      const history = await page.getByTestId("changes").innerText();
      expect(history).toContain("北京人事修改：学段：高级中学 → 初级中学；注册日期：2021-05-30 → 2026-02-27");
      expect(history).toMatch(/北京人事登记：证书类型 教师资格证/);
      await shot(page, "qualification-edit-refused-390");
    });
    await step(page, "people-delete", async () => {
      await page.goto(`${h.base}/console/qualifications`);
      await page.getByRole("link", { name: "普通话水平测试等级证书" }).click();
      await page.getByText("删除这条记录").click();
      await page.getByRole("button", { name: "确认删除" }).click();
      await page.getByText("已删除刘老师的普通话水平测试等级证书（编号 4411000123）").waitFor();
      expect(await page.getByTestId("qualifications").innerText()).not.toContain("普通话");
    });
    const wide = await signIn("hr_bj", 1280);
    await wide.goto(`${h.base}/console/qualifications`);
    await shot(wide, "qualifications-1280");
    await wide.getByRole("link", { name: "教师资格证（初级中学·数学）" }).click();
    await shot(wide, "qualification-edit-1280");
  }, 180_000);

  it("a campus head reads the list but has no import, and another campus's HR sees none of it", async () => {
    const head = await signIn("head_bj", 390);
    await head.goto(`${h.base}/console/qualifications`);
    await head.getByText("您可以查看本校区教师的资质；导入和修改由人事负责。").waitFor();
    expect(await head.getByRole("button", { name: "导入" }).count()).toBe(0);
    expect(await head.getByTestId("qualifications").innerText()).toContain("王老师");
    await shot(head, "qualifications-campus-head-390");
    await head.getByRole("link", { name: "教师资格证（初级中学·数学）" }).click();
    await head.getByText("修改和删除由王老师所在校区的人事负责；如信息有误，请联系人事。").waitFor();
    expect(await head.getByRole("button", { name: "保存修改" }).count()).toBe(0);
    const other = await signIn("hr_sh", 1280);
    await other.goto(`${h.base}/console/qualifications`);
    await other.getByText("还没有登记任何资质。").waitFor();
    // The teacher reads their own certificate, read-only, from their own menu.
    for (const width of [390, 1280]) {
      const teacher = await signIn("t_b", width);
      await teacher.goto(`${h.base}/console`);
      await teacher.getByRole("link", { name: "教师资质" }).click();
      await teacher.getByText("这里是登记在您名下的资质。").waitFor();
      expect(await teacher.getByTestId("qualifications").innerText()).toContain("教师资格证（初级中学·数学）");
      expect(await teacher.getByRole("button", { name: "导入" }).count()).toBe(0);
      await shot(teacher, `qualifications-teacher-${width}`);
    }
  }, 90_000);
});
