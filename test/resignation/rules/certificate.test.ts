import { ValidationError } from "../../../src/platform/errors";
import { buildCertificate, serviceLengthZh, transferDeadline, type CertificateInput } from "../../../src/resignation/rules/certificate";

const input: CertificateInput = {
  employeeName: "张三",
  employerName: "北京某某教育科技有限公司",
  position: "数学老师",
  hireDate: "2022-03-01",
  contractStart: "2025-03-01",
  contractEnd: "2028-02-29",
  terminationDate: "2026-04-01",
  issueDate: "2026-04-01",
};

describe("termination certificate", () => {
  it("states every field Regs 24 requires", () => {
    const c = buildCertificate(input);
    expect(c.title).toBe("离职证明");
    expect(c.fields).toEqual({
      employeeName: "张三",
      idNumber: null,
      employerName: "北京某某教育科技有限公司",
      position: "数学老师",
      contractTerm: "2025年3月1日至2028年2月29日",
      terminationDate: "2026-04-01",
      serviceLength: "4年1个月1天",
      issueDate: "2026-04-01",
    });
    expect(c.text).toContain("张三于2022年3月1日入职我单位，担任数学老师");
    expect(c.text).toContain("劳动合同期限为2025年3月1日至2028年2月29日");
    expect(c.text).toContain("在我单位工作年限为4年1个月1天");
    expect(c.text).toContain("已于2026年4月1日解除（终止）");
    expect(c.text).toContain("北京某某教育科技有限公司（盖章）");
  });

  it("prints an open-ended contract and an ID number when given", () => {
    const c = buildCertificate({ ...input, contractEnd: null, idNumber: "110101199001011234" });
    expect(c.fields.contractTerm).toBe("自2025年3月1日起（无固定期限）");
    expect(c.text).toContain("张三（身份证号：110101199001011234）");
  });

  it("has no place for remarks: extra input never reaches the certificate", () => {
    const hostile = { ...input, remarks: "工作态度差，不予推荐", reason: "违纪", evaluation: "差" } as CertificateInput;
    const c = buildCertificate(hostile);
    expect(Object.keys(c.fields).sort()).toEqual(
      ["contractTerm", "employeeName", "employerName", "idNumber", "issueDate", "position", "serviceLength", "terminationDate"].sort(),
    );
    for (const word of ["工作态度差", "不予推荐", "违纪", "差"]) expect(c.text).not.toContain(word);
  });

  it.each([
    ["2026-03-01", "2026-03-01", "1天"],
    ["2026-03-01", "2026-03-31", "1个月"],
    ["2025-03-01", "2026-02-28", "1年"],
    ["2020-01-15", "2026-07-20", "6年6个月6天"],
  ])("service from %s through %s is %s", (hire, end, expected) => {
    expect(serviceLengthZh(hire, end)).toBe(expected);
  });

  it.each([
    ["no name", { employeeName: "" }],
    ["no position", { position: " " }],
    ["termination before hire", { terminationDate: "2022-02-28" }],
    ["contract ends before it starts", { contractEnd: "2025-02-28" }],
    ["issued before termination", { issueDate: "2026-03-31" }],
    ["a bad date", { hireDate: "2022-02-30" }],
  ])("refuses %s", (_l, patch) => {
    expect(() => buildCertificate({ ...input, ...patch } as CertificateInput)).toThrow(ValidationError);
  });

  it("archive and social-insurance transfer is due 15 days after termination", () => {
    expect(transferDeadline("2026-04-01")).toBe("2026-04-16");
    expect(transferDeadline("2028-02-20")).toBe("2028-03-06");
    expect(transferDeadline("2026-12-20")).toBe("2027-01-04");
  });
});
