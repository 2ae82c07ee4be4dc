import type { Case, CaseSummary, Certificate, Checklist, Earliest, Notice, Overview, SettlementStatement } from "../../../miniprogram/services/types";
import { sha256Hex } from "../../../src/dossier/canonicalJson";
import { appendEntry, type DossierEntry } from "../../../src/dossier/hashChain";
import type { StepRow } from "../../../src/resignation/commands/approvalSteps";
import type { ChecklistRole } from "../../../src/resignation/commands/checklist";
import { earliestFor } from "../../../src/resignation/commands/earliest";
import { caseView, presentSummary, type CaseFacts } from "../../../src/resignation/presenters/caseView";
import { presentCertificate, presentChecklist, presentNotice } from "../../../src/resignation/presenters/documentPresenters";
import { presentEarliest } from "../../../src/resignation/presenters/earliestPresenter";
import { settlementView, type SettlementFacts } from "../../../src/resignation/presenters/settlementView";
import { buildCertificate, type CertificateInput } from "../../../src/resignation/rules/certificate";
import type { ChecklistSource } from "../../../src/resignation/rules/handoverChecklist";
import { buildNoticeDocument, noticeHash, signatureEvidence, type NoticeFields } from "../../../src/resignation/rules/noticeDocument";
import type { CaseRow } from "../../../src/resignation/store/caseStore";
import { generatedItemRows, type ItemRow, type SignatureRow } from "../../../src/resignation/store/checklistStore";
import type { NoticeRow } from "../../../src/resignation/store/noticeStore";
import { json } from "./wxStub";
import type { WorkRules } from "../../../miniprogram/services/types";
import { buildWorkRulesDocument, workRulesHash } from "../../../src/resignation/rules/workRulesDocument";
import { presentWorkRules } from "../../../src/resignation/workRules/workRules";

/**
 * Responses for the mini-program's page tests, made by the server's own presenters from the
 * server's own row types: a page test can only be fed what the server can send. A state, a
 * checklist kind or a field the server does not have fails `npm run typecheck`, and a presenter
 * change (a field renamed) reaches the pages' tests through these fixtures.
 */

export const CASE_ID = "7d1f2c4e-0b6a-4e5f-9c3d-2a8b1e6f4c10";

/** A case row as the store returns it; every field typed by the server (state is a CaseState). */
export function caseRow(overrides: Partial<CaseRow> = {}): CaseRow {
  return {
    id: CASE_ID,
    employeeUserid: "liming",
    origin: "employee",
    state: "in_approval",
    resumeState: null,
    basis: "standard",
    noticeDate: "2025-11-22",
    requestedLastDay: "2025-12-31",
    earliestLastDay: "2025-12-22",
    lastDay: "2025-12-31",
    inProbation: false,
    mutualAgreement: null,
    reasonCategory: "further_study",
    reasonText: "深造",
    handoverNotes: "",
    departmentId: 2,
    position: "语文教师",
    registeredBy: null,
    registrationEvidence: null,
    receiverUserid: "wangfang",
    supervisorUserid: "zhangxz",
    contractStart: "2022-09-01",
    contractEnd: null,
    checklistGeneratedAt: null,
    version: 3,
    createdAt: new Date("2025-11-22T01:00:00Z"),
    updatedAt: new Date("2025-11-22T02:00:00Z"),
    ...overrides,
  };
}

export function step(overrides: Partial<StepRow> & Pick<StepRow, "step" | "position">): StepRow {
  return {
    id: `step-${overrides.step}`,
    caseId: CASE_ID,
    approverUserids: [],
    decision: "waiting",
    decidedBy: null,
    decidedAt: null,
    reason: null,
    openedAt: null,
    round: 1,
    decidedVia: null,
    cardTaskId: null,
    ...overrides,
  };
}

/** A hash-chained dossier, appended by the real chain code; the timeline presenter picks what the employee sees. */
export function dossier(entries: { at: string; kind: string; payload?: Record<string, string | number> }[]): DossierEntry[] {
  const chain: DossierEntry[] = [];
  for (const e of entries) {
    chain.push(appendEntry(chain.at(-1) ?? null, { caseId: CASE_ID, at: new Date(e.at), kind: e.kind, actor: { type: "system", id: "resignation" }, payload: e.payload ?? {} }));
  }
  return chain;
}

/** What GET /api/mp/resignations/:id answers for this row and these facts (the server's caseView). */
export function serverCase(row: CaseRow = caseRow(), facts: Partial<CaseFacts> = {}): Case {
  return caseView(row, {
    employeeName: "李明",
    probationEnd: null,
    steps: [],
    approverNames: new Map(),
    dossier: [],
    noticeSigned: false,
    deadline: null,
    transfers: { total: 0, transferred: 0, failed: 0 },
    certificateIssued: false,
    ...facts,
  });
}

export function serverSummary(row: CaseRow = caseRow()): CaseSummary {
  return presentSummary(row);
}

/** The earliest lawful last day for notice given on `noticeDate` (the server's rule and its wording). */
export function serverEarliest(noticeDate: string, probationEnd: string | null = null): Earliest {
  return presentEarliest(earliestFor({ probationEnd }, noticeDate));
}

export function serverOverview(row: CaseRow | null, today: string, probationEnd: string | null = null): Overview {
  return { case: row ? presentSummary(row) : null, earliest: serverEarliest(today, probationEnd) };
}

/** The generated checklist rows (the server's generator), with some marked done, and its presenter's answer. */
export function checklistRows(source: Partial<ChecklistSource>): ItemRow[] {
  return generatedItemRows({ parents: [], groupChats: [], classes: [], openFollowUps: [], accounts: [], devices: [], branchItems: [], ...source });
}

/** `names`: the userids of those who ticked items, as the staff directory names them. */
export function serverChecklist(
  items: readonly ItemRow[],
  signatures: readonly SignatureRow[],
  myRole: ChecklistRole | null,
  names: ReadonlyMap<string, string> = new Map(),
): Checklist {
  return presentChecklist(items, signatures, myRole, names);
}

const NOTICE_FIELDS: NoticeFields = {
  employeeName: "李明",
  userId: "liming",
  position: "语文教师",
  branchName: "一分校",
  employerName: "某某教育科技有限公司",
  noticeDate: "2025-11-22",
  requestedLastDay: "2025-12-31",
  reasonCategory: "further_study",
  reasonText: "攻读教育学硕士",
};

/** The written notice as the server builds it, unsigned or signed with real evidence hashes. */
export function serverNotice(signed?: { typedName: string; at: string; signatureImage: Buffer }): Notice {
  const document = buildNoticeDocument(NOTICE_FIELDS);
  const documentSha256 = noticeHash(document);
  const evidence = signed
    ? signatureEvidence({
        documentHash: documentSha256,
        signatureImageSha256: sha256Hex(signed.signatureImage),
        typedName: signed.typedName,
        wecomUserId: NOTICE_FIELDS.userId,
        serverTime: new Date(signed.at),
        device: { platform: "ios" },
      })
    : null;
  const row: NoticeRow = {
    document,
    documentSha256,
    signedAt: signed ? new Date(signed.at) : null,
    signatureImage: signed?.signatureImage ?? null,
    evidence: evidence?.record ?? null,
    evidenceSha256: evidence?.hash ?? null,
  };
  return presentNotice(row);
}

/** The termination certificate as the server builds and hashes it. */
export function serverCertificate(input: Partial<CertificateInput> = {}): Certificate {
  const certificate = buildCertificate({
    employeeName: "李明",
    employerName: "某某教育科技有限公司",
    position: "语文教师",
    hireDate: "2022-09-01",
    contractStart: "2022-09-01",
    contractEnd: "2025-08-31",
    terminationDate: "2025-12-31",
    issueDate: "2026-01-01",
    ...input,
  });
  return presentCertificate({ fields: certificate.fields, text: certificate.text, sha256: sha256Hex(certificate.text) });
}

/**
 * The leaver's settlement statement as the server writes it (settlementView), for 李明 hired
 * 2022-09-01 leaving 2025-12-31 after a plain resignation, no figures entered yet; tests pass
 * the facts that differ (HR's wages, the ground, the last-day run's row).
 */
export function serverSettlement(facts: Partial<SettlementFacts> = {}): SettlementStatement {
  return settlementView({
    today: "2025-12-20",
    lastDay: "2025-12-31",
    ground: "lcl37_resignation",
    input: null,
    local: null,
    hireDate: "2022-09-01",
    handoverComplete: false,
    released: null,
    ...facts,
  });
}

/** Successful /api/mp answers, typed by the contract: a page test cannot answer with a shape the server does not have. */
export const answer = {
  overview: (o: Overview) => json(200, o),
  case: (c: Case, status: 200 | 201 = 200) => json(status, { case: c }),
  notice: (n: Notice) => json(200, { notice: n }),
  checklist: (c: Checklist) => json(200, { checklist: c }),
  certificate: (c: Certificate) => json(200, { certificate: c }),
  settlement: (s: SettlementStatement) => json(200, { settlement: s }),
  workRules: (w: WorkRules) => json(200, { workRules: w }),
};

/** The work-account rules as the server builds, hashes and presents them (signed: with the notice's evidence). */
export function serverWorkRules(signed?: { typedName: string; at: string; signatureImage: Buffer }): WorkRules {
  const document = buildWorkRulesDocument({
    employeeName: "李明",
    userId: "liming",
    employerName: "示例教育集团",
    branchName: "一分校",
    issuedOn: "2025-11-22",
    archiveRetentionDays: 1095,
  });
  const sha256 = workRulesHash(document);
  const evidence = signed
    ? signatureEvidence({
        schema: "work_rules_signature/v1",
        documentHash: sha256,
        signatureImageSha256: sha256Hex(signed.signatureImage),
        typedName: signed.typedName,
        wecomUserId: "liming",
        serverTime: new Date(signed.at),
        device: { platform: "ios" },
      })
    : null;
  return presentWorkRules(document, sha256, evidence ? { signed_at: new Date(signed!.at), evidence: evidence.record } : null);
}
