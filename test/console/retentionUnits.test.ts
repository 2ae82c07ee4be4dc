import { parseLockdownSettingsForSave } from "../../src/alerts/lockdown/lockdownSettings";
import { ValidationError } from "../../src/platform/errors";
import { lockdownFromForm } from "../../src/console/presenters/lockdownForm";
import { trendChart } from "../../src/console/views/trendChart";

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
};

describe("lockdown form", () => {
  const form = { enabled: "1", ruleName: " 离职管控 ", words: "加我微信\r\n私聊我、加我微信\n\n", semantics: ["phone", "bogus"], mode: "warn", disableAtHour: "17", contactWithinDays: "5", escalateAfterDays: "2" };

  it("turns the fields into settings: words split and deduplicated, unknown semantics dropped, unticked boxes off", () => {
    expect(lockdownFromForm(form)).toEqual({
      enabled: true,
      rule: { name: "离职管控", words: ["加我微信", "私聊我"], semantics: ["phone"], mode: "warn" },
      groupSend: { autoFreeze: false },
      lastDay: { disableAtHour: 17 },
      handover: { contactWithinDays: 5, escalateAfterDays: 2 },
    });
    expect(lockdownFromForm({ ...form, enabled: undefined, mode: "anything" }).enabled).toBe(false);
    expect(lockdownFromForm({ ...form, mode: "anything" }).rule.mode).toBe("block");
  });

  it("refuses a number that is not whole, naming the field as the page labels it", () => {
    const err = thrown(() => lockdownFromForm({ ...form, disableAtHour: "17.5" })) as ValidationError;
    expect([err instanceof ValidationError, err.message]).toEqual([true, "未保存：“最后工作日停用账号的时间”应为整数"]);
  });

  it("has the API refuse out-of-range settings in Chinese, per field", () => {
    const settings = lockdownFromForm(form);
    const refuse = (s: unknown) => (thrown(() => parseLockdownSettingsForSave(s)) as ValidationError).message;
    expect(refuse({ ...settings, lastDay: { disableAtHour: 24 } })).toBe("未保存：最后工作日停用账号的时间不能大于23");
    expect(refuse({ ...settings, rule: { ...settings.rule, name: "" } })).toBe("未保存：拦截规则名称不能为空");
    expect(refuse({ ...settings, rule: { ...settings.rule, words: Array.from({ length: 301 }, (_, i) => `词${i}`) } })).toBe("未保存：拦截词最多300个");
    expect(refuse({ ...settings, handover: { contactWithinDays: 0, escalateAfterDays: 31 } })).toBe(
      "未保存：接任老师联系家长的天数不能小于1；通知校区负责人前再等的天数不能大于30",
    );
  });
});

describe("trend chart", () => {
  it("draws each series with its figures, breaking the line where a month has no figure yet", () => {
    const svg = trendChart("留存", ["2025-11", "2025-12", "2026-01"], [
      { label: "30天", color: "#111111", values: [50, 100, 0] },
      { label: "90天", color: "#222222", values: [50, null, null] },
    ]).value;
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect([...svg.matchAll(/>(\d+%)<\/text>/g)].map((m) => m[1])).toEqual(["0%", "50%", "100%", "50%", "100%", "0%", "50%"]);
    expect(svg).toContain(">2025-12</text>");
  });

  it("says there is nothing to draw rather than drawing an empty frame", () => {
    expect(trendChart("留存", ["2026-01"], [{ label: "30天", color: "#111111", values: [null] }]).value).toBe('<p class="muted">留存：暂无数据</p>');
  });
});
