import { parseArrangementText } from "../../src/calendar/arrangementText";
import { parseOfficialArrangement } from "../../src/calendar/officialArrangement";
import { ValidationError } from "../../src/platform/errors";

const problemsOf = (text: string, year = 2027) => {
  try {
    parseArrangementText(text, year);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { message: err.message, lines: (err.details as { message: string }[]).map((d) => d.message) };
  }
  throw new Error("accepted");
};

describe("the official arrangement typed as lines", () => {
  it("reads ranges, single days, names, notes and the source into holidays and make-up Saturdays/Sundays", () => {
    // 2027-02-06 is a Saturday, 2027-02-20 a Saturday, 2027-02-14 a Sunday.
    const year = parseArrangementText(
      `# 测试用安排（非官方）
依据：测试用安排（非官方）
元旦 2027-01-01 至 2027-01-03 放假
春节 2027-02-06 至 2027-02-12 放假

2027-02-14 上班
2027-02-20    班`,
      2027,
    );
    expect(year).toEqual({
      year: 2027,
      source: "测试用安排（非官方）",
      holidays: ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"],
      makeUpWorkdays: ["2027-02-14", "2027-02-20"],
    });
  });

  it("names every problem by its line at once, in Chinese", () => {
    expect(
      problemsOf(`元旦 2027-01-01 放假
2027-02-30 放假
2026-12-31 放假
国庆 2027-10-07 至 2027-10-01 放假
2027-01-01 放假
2027-02-10 上班
春节放七天
2027-01-01 至 2027-03-01 放假`),
    ).toEqual({
      message: "放假安排有 8 处问题，整份安排都没有录入",
      lines: [
        "第 2 行：2027-02-30 不是有效日期",
        "第 3 行：2026-12-31 不属于 2027 年",
        "第 4 行：结束日期 2027-10-01 早于开始日期 2027-10-07",
        "第 5 行：2027-01-01 已在第 1 行出现，每个日期只能出现一次",
        "第 6 行：2027-02-10 是星期三，本来就要上班，调休上班日应为周六或周日",
        "第 7 行：无法识别“春节放七天”，应为“名称 2027-01-01 至 2027-01-03 放假”或“2027-02-14 上班”",
        "第 8 行：一段放假最多 31 天",
        "缺少依据行（如：依据：国办发明电〔2026〕X号）",
      ],
    });
    expect(problemsOf("依据：某某\n2027-02-14 上班")).toEqual({ message: "放假安排有 1 处问题，整份安排都没有录入", lines: ["没有任何放假日期"] });
    expect(problemsOf("依据：某某\n依据：另一份\n2027-01-01 放假").lines).toEqual(["第 2 行：依据只能写一行"]);
  });

  it("is what the calendar API reads from a text body; JSON text is read as JSON, broken JSON refused in Chinese", () => {
    expect(parseOfficialArrangement("依据：测试\n2027-01-01 放假", 2027)).toEqual({ year: 2027, source: "测试", holidays: ["2027-01-01"], makeUpWorkdays: [] });
    const json = JSON.stringify({ year: 2027, holidays: ["2027-01-01"], makeUpWorkdays: [], source: "测试" });
    expect(parseOfficialArrangement(`\uFEFF${json}\n`, 2027)).toEqual({ year: 2027, source: "测试", holidays: ["2027-01-01"], makeUpWorkdays: [] });
    expect(() => parseOfficialArrangement('{"year": 2027, "holidays": [', 2027)).toThrow("文件以 { 开头但不是完整有效的 JSON，请上传官方安排的 JSON 文件，或按行填写");
    expect(() => parseOfficialArrangement(json, 2028)).toThrow("文件中的年份（2027）与地址中的年份（2028）不一致");
    // A JSON file's problems say which entry, as a pasted text's say which line.
    const file = { year: 2027, papers: ["测试"], days: [{ name: "元旦", date: "2027-01-01", isOffDay: true }, { name: "春节", date: "2027-02-30", isOffDay: true }] };
    try {
      parseOfficialArrangement(JSON.stringify(file), 2027);
      throw new Error("accepted");
    } catch (err) {
      expect((err as ValidationError).details).toEqual([{ path: "days.1.date", message: "第 2 项（日期）：应为 YYYY-MM-DD 格式的有效日期" }]);
    }
  });
});
