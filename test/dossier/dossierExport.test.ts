import { exportDossierJson, formatInstantZh, renderDossierMarkdown } from "../../src/dossier/dossierExport";
import { appendEntry, GENESIS_HASH, verifyChain, type DossierEntry } from "../../src/dossier/hashChain";

const exportedAt = new Date("2026-04-01T02:00:00Z");

function chain(): DossierEntry[] {
  const first = appendEntry(null, {
    caseId: "case-7",
    at: new Date("2026-03-02T01:00:00Z"),
    kind: "notice_signed",
    actor: { type: "employee", id: "zhangsan", name: "张三" },
    payload: { documentHash: "ab".repeat(32) },
  });
  const second = appendEntry(first, {
    caseId: "case-7",
    at: new Date("2026-03-03T08:30:00Z"),
    kind: "approval_step",
    actor: { type: "approver", id: "lisi" },
    payload: { step: "department_head", decision: "approved" },
  });
  return [first, second];
}

describe("dossier exports", () => {
  it("JSON export carries the head hash and everything needed to re-verify", () => {
    const entries = chain();
    const out = exportDossierJson("case-7", entries, exportedAt);
    expect(out).toMatchObject({
      format: "resignation-dossier/v1",
      caseId: "case-7",
      exportedAt: "2026-04-01T02:00:00.000Z",
      hashAlgorithm: "sha256",
      genesisHash: GENESIS_HASH,
      entryCount: 2,
      headSeq: 2,
      headHash: entries[1].hash,
      verification: { ok: true },
    });
    // A verifier holding only the export reaches the same result.
    const reparsed = JSON.parse(JSON.stringify(out)) as typeof out;
    expect(verifyChain(reparsed.entries)).toEqual({ ok: true, length: 2, headHash: out.headHash });
  });

  it("JSON export of an empty dossier", () => {
    expect(exportDossierJson("case-0", [], exportedAt)).toMatchObject({ entryCount: 0, headSeq: 0, headHash: GENESIS_HASH });
  });

  it("JSON export reports tampering instead of hiding it", () => {
    const entries = chain();
    entries[0] = { ...entries[0], kind: "edited_kind" };
    expect(exportDossierJson("case-7", entries, exportedAt).verification).toMatchObject({ ok: false, problem: "edited" });
  });

  it("printable export uses Chinese labels and China time", () => {
    const entries = chain();
    const text = renderDossierMarkdown("case-7", entries, {
      exportedAt,
      kindLabels: { notice_signed: "员工签署离职通知" },
    });
    expect(text).toContain("# 离职证据档案");
    expect(text).toContain("案件编号：case-7");
    expect(text).toContain("导出时间：2026-04-01 10:00:00（北京时间）");
    expect(text).toContain(`链头哈希（SHA-256）：\`${entries[1].hash}\``);
    expect(text).toContain("校验结果：完整，未发现篡改");
    expect(text).toContain("## 第 1 条：员工签署离职通知");
    expect(text).toContain("## 第 2 条：approval_step");
    expect(text).toContain("时间：2026-03-03 16:30:00（北京时间）");
    expect(text).toContain("操作人：张三（employee:zhangsan）");
    expect(text).toContain('内容：`{"decision":"approved","step":"department_head"}`');
  });

  it("printable export flags a broken chain", () => {
    const entries = chain().slice(1);
    const text = renderDossierMarkdown("case-7", entries, { exportedAt });
    expect(text).toContain("校验结果：异常：条目被删除");
  });

  it("formats instants at midnight boundaries in China time", () => {
    expect(formatInstantZh("2026-12-31T16:00:00.000Z")).toBe("2027-01-01 00:00:00（北京时间）");
    expect(formatInstantZh("garbage")).toBe("garbage");
  });
});
