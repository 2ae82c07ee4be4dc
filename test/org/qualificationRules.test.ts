import { parseQualificationCsv, validateQualification } from "../../src/org/qualifications/qualificationCsv";
import { changedFields, recordSummary } from "../../src/org/qualifications/qualificationChangeText";
import {
  certifiedSubjectsOn,
  dueDateOf,
  nextRegistrationOn,
  qualificationStatus,
  qualifiedSubjects,
  reminderDueToday,
} from "../../src/org/qualifications/qualificationRules";
import { ValidationError } from "../../src/platform/errors";
import { thrown } from "../support/thrown";

describe("qualification dates", () => {
  it("registers a 教师资格证 again five years after its registration (29 February on 28 February)", () => {
    expect(nextRegistrationOn("2021-09-01")).toBe("2026-09-01");
    expect(nextRegistrationOn("2024-02-29")).toBe("2029-02-28");
  });

  it("takes the registration for a teacher certificate and the expiry for any other", () => {
    expect(dueDateOf({ kind: "teacher_certificate", registeredOn: "2021-09-01", expiresOn: null })).toBe("2026-09-01");
    expect(dueDateOf({ kind: "teacher_certificate", registeredOn: null, expiresOn: null })).toBeNull();
    expect(dueDateOf({ kind: "other", registeredOn: "2020-01-01", expiresOn: "2027-06-30" })).toBe("2027-06-30");
    expect(dueDateOf({ kind: "other", registeredOn: null, expiresOn: null })).toBeNull();
  });

  it.each([
    ["2026-06-02", null], // 91 days ahead: nothing yet
    ["2026-06-03", 90], // exactly 90 days
    ["2026-07-01", 90], // 62 days
    ["2026-08-02", 30], // exactly 30
    ["2026-08-20", 30], // 12 days
    ["2026-08-25", 7], // exactly 7
    ["2026-09-01", 7], // the day itself
    ["2026-09-02", null], // past: no reminder, the record is lapsed
  ] as const)("on %s the reminder due for 2026-09-01 is %s", (today, expected) => {
    expect(reminderDueToday("2026-09-01", today)).toBe(expected);
  });

  it("says where a record stands", () => {
    expect(qualificationStatus(null, "2026-03-01")).toBe("no_date");
    expect(qualificationStatus("2026-02-28", "2026-03-01")).toBe("lapsed");
    expect(qualificationStatus("2026-05-30", "2026-03-01")).toBe("due_soon"); // 90 days
    expect(qualificationStatus("2026-05-31", "2026-03-01")).toBe("valid");
  });

  it("matches subjects after trimming and width folding", () => {
    expect(qualifiedSubjects(["数学 ", "物理"], ["数学", "英语"])).toEqual(["数学"]);
    expect(qualifiedSubjects(["ＩＴ"], ["IT"])).toEqual(["IT"]);
    expect(qualifiedSubjects([], ["数学"])).toEqual([]);
  });
});

describe("certified today (successor choice)", () => {
  // Registered 2021-09-01: the next 5-yearly registration is due 2026-09-01.
  const math = { kind: "teacher_certificate" as const, subject: "数学", dueOn: nextRegistrationOn("2021-09-01") };
  it.each([
    ["2026-08-31", ["数学"]], // the day before
    ["2026-09-01", ["数学"]], // the registration day itself: still registered
    ["2026-09-02", []], // registration passed: no longer certified
    ["2031-01-01", []],
  ] as const)("on %s a 教师资格证 due for registration on 2026-09-01 certifies %j", (today, expected) => {
    expect(certifiedSubjectsOn([math], today)).toEqual(expected);
  });

  it("counts a certificate with no registration date on record, never another kind of certificate, expired or not", () => {
    expect(certifiedSubjectsOn([{ kind: "teacher_certificate", subject: "英语", dueOn: null }], "2026-03-02")).toEqual(["英语"]);
    const firstAid = { kind: "other" as const, subject: "体育", dueOn: "2026-03-01" };
    expect(certifiedSubjectsOn([firstAid], "2026-02-28")).toEqual([]);
    expect(certifiedSubjectsOn([firstAid], "2026-03-02")).toEqual([]);
  });

  it("keeps a subject while one of two certificates for it is still registered, and lists each subject once", () => {
    const lapsed = { kind: "teacher_certificate" as const, subject: "数学", dueOn: "2026-01-31" };
    const renewed = { kind: "teacher_certificate" as const, subject: "数学", dueOn: "2031-02-01" };
    const physics = { kind: "teacher_certificate" as const, subject: "物理", dueOn: "2026-01-31" };
    expect(certifiedSubjectsOn([lapsed, renewed, physics], "2026-03-02")).toEqual(["数学"]);
  });
});

describe("what an edit changed", () => {
  const before = { kind: "other" as const, name: "急救员证", certificateNo: "JJ2024001", subject: null, level: null, registeredOn: "2024-03-01", expiresOn: "2027-02-28" };
  it("names each changed field with its old and new value, in the form's words", () => {
    expect(changedFields(before, { ...before, expiresOn: "2028-02-29", certificateNo: "JJ2025001" })).toEqual(["证书编号：JJ2024001 → JJ2025001", "有效期至：2027-02-28 → 2028-02-29"]);
    expect(changedFields(before, { ...before, registeredOn: null })).toEqual(["注册日期：2024-03-01 → （空）"]);
    expect(changedFields(before, before)).toEqual([]);
    expect(recordSummary(before)).toBe("证书类型 其他证书，证书名称 急救员证，证书编号 JJ2024001，注册日期 2024-03-01，有效期至 2027-02-28");
  });
});

describe("qualification CSV", () => {
  const header = "账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至";

  it("reads Chinese headers, a BOM and slashes in dates", () => {
    const rows = parseQualificationCsv(`\uFEFF${header}\nli,李老师,教师资格证,,20154405112000123,数学,高级中学,2021/09/01,\nli,李老师,其他证书,普通话水平测试等级证书,4411000123,,,2019-05-01,2029-04-30\n`, "2026-03-01");
    expect(rows).toEqual([
      {
        line: 2,
        userid: "li",
        staffName: "李老师",
        input: { kind: "teacher_certificate", name: "教师资格证", certificateNo: "20154405112000123", subject: "数学", level: "高级中学", registeredOn: "2021-09-01", expiresOn: null },
      },
      {
        line: 3,
        userid: "li",
        staffName: "李老师",
        input: { kind: "other", name: "普通话水平测试等级证书", certificateNo: "4411000123", subject: null, level: null, registeredOn: "2019-05-01", expiresOn: "2029-04-30" },
      },
    ]);
  });

  it("names every bad row and field in Chinese and imports nothing", () => {
    const csv = [
      header,
      "li,李老师,教师资格证,,20154405112000123,,博士,2021-02-30,", // no subject, unknown level, impossible date
      "wang,王老师,驾照,,123456,,,,", // unknown kind
      "zhao,赵老师,其他证书,,12 34,,,2025-01-01,2024-01-01", // no name; number with a space is folded; expiry before registration
      "wang,王老师,其他证书,急救证,A1234,,,,",
      "li,李老师,其他证书,急救证,A1234,,,,", // the certificate of line 5 again
      ",某老师,其他证书,急救证,B1234,,,,",
    ].join("\n");
    const err = thrown(() => parseQualificationCsv(csv, "2026-03-01"));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toBe("CSV 中有 8 处错误，未导入任何数据");
    expect(((err as ValidationError).details as { message: string }[]).map((p) => p.message)).toEqual([
      "第 2 行「注册日期」：「2021-02-30」不是有效日期，应为 YYYY-MM-DD",
      "第 2 行「学科」：教师资格证须填写任教学科",
      "第 2 行「学段」：应为 幼儿园、小学、初级中学、高级中学、中等职业学校、中等职业学校实习指导、高等学校 之一",
      "第 3 行「证书类型」：应为「教师资格证」或「其他证书」",
      "第 4 行「证书名称」：其他证书须填写证书名称",
      "第 4 行「有效期至」：不能早于注册日期",
      "第 6 行「证书编号」：与第 5 行重复",
      "第 7 行「账号」：不能为空",
    ]);
  });

  it("refuses a header it does not know, naming the columns", () => {
    const err = thrown(() => parseQualificationCsv("账号,证书类型,编号\nli,教师资格证,1\n", "2026-03-01")) as ValidationError;
    expect(err.message).toBe("第 1 行（表头）缺少列：证书编号；无法识别的列：编号。表头应为：账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至");
  });

  it("refuses a registration in the future and an expiry on a teacher certificate", () => {
    const { problems } = validateQualification(
      { kind: "教师资格证", certificateNo: "20154405112000123", subject: "数学", level: "小学", registeredOn: "2026-03-02", expiresOn: "2031-03-01" },
      "2026-03-01",
      null,
    );
    expect(problems.map((p) => p.message)).toEqual(["注册日期：不能晚于今天", "有效期至：教师资格证没有有效期，请填写注册日期（每 5 年定期注册）"]);
  });
});
