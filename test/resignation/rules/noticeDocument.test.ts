import { canonicalJson, sha256Hex } from "../../../src/dossier/canonicalJson";
import { ValidationError } from "../../../src/platform/errors";
import {
  buildNoticeDocument,
  noticeHash,
  serialiseNotice,
  signatureEvidence,
  verifySignedNotice,
  type NoticeFields,
  type SignedNotice,
} from "../../../src/resignation/rules/noticeDocument";

const fields: NoticeFields = {
  employeeName: "张三",
  userId: "zhangsan",
  position: "数学老师",
  branchName: "朝阳校区",
  employerName: "北京某某教育科技有限公司",
  noticeDate: "2026-03-02",
  requestedLastDay: "2026-04-01",
  reasonCategory: "personal_development",
  reasonText: "希望换一个方向发展",
};

const image = new TextEncoder().encode("png-bytes-of-handwritten-signature");

function signed(): SignedNotice {
  const document = buildNoticeDocument(fields);
  const ev = signatureEvidence({
    documentHash: noticeHash(document),
    signatureImageSha256: sha256Hex(image),
    typedName: "张三",
    wecomUserId: "zhangsan",
    serverTime: new Date("2026-03-02T01:23:45Z"),
    device: { userAgent: "wxwork/4.1", platform: "ios", ip: "203.0.113.7" },
  });
  return { document, signatureImage: image, evidence: ev.record, evidenceHash: ev.hash };
}

describe("resignation notice document", () => {
  it("renders the Chinese notice with every field", () => {
    const doc = buildNoticeDocument(fields);
    expect(doc.title).toBe("离职通知书");
    expect(doc.text).toContain("致北京某某教育科技有限公司：");
    expect(doc.text).toContain("本人张三，现任朝阳校区数学老师。");
    // The userid is a field of the signed document (for machines), never in the text the person reads.
    expect(doc.text).not.toContain("zhangsan");
    expect(doc.fields.userId).toBe("zhangsan");
    expect(doc.text).toContain("因个人发展：希望换一个方向发展");
    expect(doc.text).toContain("于2026年3月2日以书面形式通知公司解除劳动合同");
    expect(doc.text).toContain("申请最后工作日为2026年4月1日");
    expect(doc.text).toContain("通知人：张三");
  });

  it("omits an empty reason text cleanly and trims input", () => {
    const doc = buildNoticeDocument({ ...fields, employeeName: " 张三 ", reasonCategory: "family", reasonText: "  " });
    expect(doc.text).toContain("因家庭原因，本人");
    expect(doc.fields.employeeName).toBe("张三");
  });

  it("serialises canonically: same content, same bytes, same hash", () => {
    const a = buildNoticeDocument(fields);
    const b = buildNoticeDocument({ ...fields });
    expect(serialiseNotice(a)).toBe(serialiseNotice(b));
    expect(noticeHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(noticeHash(a)).toBe(noticeHash(JSON.parse(JSON.stringify(a))));
    expect(noticeHash(buildNoticeDocument({ ...fields, requestedLastDay: "2026-04-02" }))).not.toBe(noticeHash(a));
  });

  it.each([
    ["no name", { employeeName: "" }],
    ["no employer", { employerName: " " }],
    ["bad date", { noticeDate: "2026-02-30" }],
    ["last day before notice", { requestedLastDay: "2026-03-01" }],
    ["unknown category", { reasonCategory: "boredom" }],
    ["reason too long", { reasonText: "很".repeat(501) }],
  ])("refuses %s", (_l, patch) => {
    expect(() => buildNoticeDocument({ ...fields, ...patch } as NoticeFields)).toThrow(ValidationError);
  });
});

describe("signature evidence (ESL 13)", () => {
  it("binds the document hash, image hash, identity, server time and device", () => {
    const s = signed();
    expect(s.evidence).toMatchObject({
      documentHash: noticeHash(s.document),
      signatureImageSha256: sha256Hex(image),
      wecomUserId: "zhangsan",
      serverTime: "2026-03-02T01:23:45.000Z",
      device: { platform: "ios" },
    });
    expect(s.evidenceHash).toBe(sha256Hex(canonicalJson(s.evidence)));
  });

  it("verifies an untouched signed notice", () => {
    expect(verifySignedNotice(signed())).toEqual({ ok: true, problems: [] });
    // And after a JSON round trip through storage.
    const s = signed();
    const stored = JSON.parse(JSON.stringify({ ...s, signatureImage: undefined }));
    expect(verifySignedNotice({ ...stored, signatureImage: image })).toEqual({ ok: true, problems: [] });
  });

  it("detects a changed last day in the fields", () => {
    const s = signed();
    s.document = { ...s.document, fields: { ...s.document.fields, requestedLastDay: "2026-03-15" } };
    expect(verifySignedNotice(s).problems).toEqual(["document_changed"]);
  });

  it("detects a changed text (form) even when the fields are unchanged", () => {
    const s = signed();
    s.document = { ...s.document, text: s.document.text.replace("特此通知。", "特此通知！") };
    expect(verifySignedNotice(s).problems).toEqual(["document_changed"]);
  });

  it("detects a swapped signature image", () => {
    const s = signed();
    s.signatureImage = new TextEncoder().encode("someone else's scribble");
    expect(verifySignedNotice(s).problems).toEqual(["signature_image_changed"]);
  });

  it("detects an edited evidence record (e.g. a moved timestamp)", () => {
    const s = signed();
    s.evidence = { ...s.evidence, serverTime: "2026-02-01T00:00:00.000Z" };
    expect(verifySignedNotice(s).problems).toEqual(["evidence_changed"]);
  });

  it("detects a signature by someone other than the employee", () => {
    const document = buildNoticeDocument(fields);
    const ev = signatureEvidence({
      documentHash: noticeHash(document),
      signatureImageSha256: sha256Hex(image),
      typedName: "李四",
      wecomUserId: "lisi",
      serverTime: new Date("2026-03-02T01:23:45Z"),
      device: {},
    });
    expect(verifySignedNotice({ document, signatureImage: image, evidence: ev.record, evidenceHash: ev.hash }).problems).toEqual([
      "signer_not_employee",
      "typed_name_mismatch",
    ]);
  });

  it.each([
    ["a bad document hash", { documentHash: "abc" }],
    ["a bad image hash", { signatureImageSha256: "Z".repeat(64) }],
    ["no typed name", { typedName: " " }],
    ["no identity", { wecomUserId: "" }],
    ["an invalid time", { serverTime: new Date("x") }],
  ])("refuses evidence with %s", (_l, patch) => {
    const okInput = {
      documentHash: "a".repeat(64),
      signatureImageSha256: "b".repeat(64),
      typedName: "张三",
      wecomUserId: "zhangsan",
      serverTime: new Date("2026-03-02T00:00:00Z"),
      device: {},
    };
    expect(() => signatureEvidence({ ...okInput, ...patch })).toThrow(ValidationError);
  });
});
