/**
 * The /api/mp contract: one module of response and request shapes shared by both ends.
 *
 * The server's presenters (src/resignation/presenters/) declare these as their return types
 * (`import type`, erased at build), so a field the server renames or drops, or a value it adds,
 * breaks `npm run typecheck` instead of a page in production; the mini-program's pages and its
 * tests read the same types, and the page tests' fixtures are made by the server's presenters
 * (test/miniprogram/support/serverFixtures.ts), so a fixture the server could not send does not
 * compile. The enumerations below are checked equal to the server's own in
 * test/miniprogram/contract.test.ts (neither side may list a value the other lacks).
 *
 * It lives inside the mini-program's root because WeChat DevTools compiles only that folder; it
 * holds types only and no wx globals, so the server and Node tests can import it.
 */

/** The server's reason categories (src/resignation/rules/noticeDocument.ts); a contract test keeps them equal. */
export type ReasonCategory =
  | "personal_development"
  | "family"
  | "health"
  | "relocation"
  | "compensation"
  | "further_study"
  | "other";

export interface MpUser {
  userid: string;
  name: string;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: MpUser;
}

export interface Earliest {
  lastDay: string;
  basis: "standard" | "probation" | "mutual_agreement" | "lcl38_immediate";
  noticeDays: number;
  explanation: string;
  caveats: string[];
}

/** The server's case states (src/resignation/rules/caseStateMachine.ts `STATES`); shown by `statusLabel`. */
export type CaseStatus =
  | "draft"
  | "registered_by_hr"
  | "notice_pending_signature"
  | "notice_signed"
  | "in_approval"
  | "step_returned"
  | "approved"
  | "handover_in_progress"
  | "handover_done"
  | "withdrawal_requested"
  | "last_day_reached"
  | "certificate_issued"
  | "closed"
  | "withdrawn";

export interface CaseSummary {
  id: string;
  status: CaseStatus;
  statusLabel: string;
  requestedLastDay: string;
  lastDay: string;
}

export interface Approval {
  /** The step's key in the branch's approval chain: the default chain's department_head, it, hr, or a branch's own key. */
  step: string;
  label: string;
  approverName: string;
  decision: "pending" | "approved" | "rejected";
  reason?: string;
  decidedAt?: string;
  /** Decided on the console's case page: what became of the approvers' WeCom cards (HR's case page shows it). */
  cardNote?: string;
}

/** What a timeline entry is about (src/resignation/presenters/timelinePresenter.ts). */
export type TimelineKind =
  | "created"
  | "reminder"
  | "notice_signed"
  | "approval"
  | "transfer"
  | "withdrawn"
  | "last_day"
  | "settlement"
  | "certificate_issued"
  | "handover";

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  label: string;
  detail?: string;
}

/** The deadline for signing the written notice (书面通知签署期限), set when the case opens. */
export interface NoticeDeadlineView {
  deadline: string;
  workingDays: number;
  setOn: string;
  /** True while a year the count crosses has no official holiday arrangement yet (weekends-only estimate). */
  provisional: boolean;
  uncoveredYears: number[];
  caveat: string | null;
  instruction: string;
  escalated: boolean;
}

export interface Case extends CaseSummary {
  employeeName: string;
  noticeDate: string;
  reasonCategory: ReasonCategory;
  reasonText: string;
  handoverNotes: string;
  earliest: Earliest;
  noticeSigned: boolean;
  noticeDeadline: NoticeDeadlineView | null;
  approvals: Approval[];
  timeline: TimelineEntry[];
  transfers: { total: number; done: number; waiting: number; failed: number };
  certificateIssued: boolean;
  canWithdraw: boolean;
}

export interface Overview {
  case: CaseSummary | null;
  earliest: Earliest;
}

export interface StartResignationInput {
  reasonCategory: ReasonCategory;
  reasonText: string;
  requestedLastDay: string;
  handoverNotes: string;
}

export interface NoticeSignature {
  typedName: string;
  signedAt: string;
  signatureSha256: string;
  documentSha256: string;
}

export interface Notice {
  text: string;
  sha256: string;
  signed: NoticeSignature | null;
}

/** The work-account rules a new member signs (GET/POST /api/mp/work-rules): the notice's shape with its title. */
export interface WorkRules extends Notice {
  title: string;
}

export interface DeviceInfo {
  model: string;
  system: string;
  platform: string;
  version: string;
}

export interface SignatureInput {
  typedName: string;
  /** data:image/png;base64,… (≤ 300 KB) */
  signatureImage: string;
  confirm: true;
}

export interface SignNoticeInput extends SignatureInput {
  device: DeviceInfo;
}

export type ChecklistOwner = "leaver" | "receiver" | "hr" | "it" | "supervisor";
/** The server's checklist item kinds (src/resignation/rules/handoverChecklist.ts `ItemKind`). */
export type ChecklistItemKind =
  | "all_parents_transferred"
  | "all_groups_transferred"
  | "account_disabled"
  | "class_handover"
  | "follow_up"
  | "device_returned"
  | "custom";
export type ChecklistRole = "handover" | "receiver" | "supervisor";

export interface ChecklistItem {
  id: string;
  kind: ChecklistItemKind;
  title: string;
  detail?: string;
  owner: ChecklistOwner;
  auto: boolean;
  done: boolean;
  doneAt?: string;
  verifiedBy?: string;
}

export interface ChecklistSignature {
  role: ChecklistRole;
  roleLabel: "移交人" | "接收人" | "监交人";
  name: string;
  signedAt: string;
}

export interface Checklist {
  items: ChecklistItem[];
  signatures: ChecklistSignature[];
  myRole: ChecklistRole | null;
  complete: boolean;
}

export interface Certificate {
  /** The heading (离职证明); `text` is the body below it. */
  title: string;
  text: string;
  fields: {
    employeeName: string;
    employer: string;
    position: string;
    contractTerm: string;
    terminationDate: string;
    /** As written on the certificate, e.g. "3年4个月". */
    yearsOfService: string;
    issueDate: string;
  };
  sha256: string;
}

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The leaver's settlement statement (离职结算单), GET /api/mp/resignations/:id/settlement — the same
 * statement HR sees (src/resignation/presenters/settlementView.ts). Amounts are in fen and, for
 * people, already written as ¥ strings; `statutes` are the legal references in Chinese
 * (《劳动合同法》第四十七条), `legalRefs` the short keys HR's tools file them under.
 */
export interface SettlementStatement {
  ground: { key: string; label: string; owed: boolean; legalRefs: string[]; statutes: string[]; reason: string };
  /** HR's inputs: each month's wage due (overtime included) and, month by month, the overtime inside it. */
  inputs: { monthlyWagesFen: number[]; monthlyOvertimeFen: number[]; annualLeave: { entitlementDays: number; takenDays: number } | null; updatedAt: string } | null;
  localWages: { city: string; year: number; averageMonthlyWage: string; minimumMonthlyWage: string; source: string } | null;
  finalWages: {
    label: string;
    dueOn: string;
    waitsForHandover: false;
    payableNow: boolean;
    releasedAt: string | null;
    status: string;
    legalRefs: string[];
    statutes: string[];
    note: string;
  };
  unusedAnnualLeave: {
    label: string;
    unusedDays: number;
    /** The average monthly wage with overtime pay taken out (企业职工带薪年休假实施办法 11), over `monthsAveraged` months. */
    monthlyWage: string;
    monthsAveraged: number;
    /** monthlyWage ÷ 21.75. */
    dailyWage: string;
    amountFen: number;
    amount: string;
    dueOn: string;
    waitsForHandover: false;
    payableNow: boolean;
    legalRefs: string[];
    statutes: string[];
    note: string;
  } | null;
  economicCompensation:
    | {
        owed: true;
        label: string;
        waitsForHandover: true;
        handoverComplete: boolean;
        payableNow: boolean;
        releasedAt: string | null;
        status: string;
        /** Null until HR has entered the wages. */
        amountFen: number | null;
        amount: string | null;
        months: number | null;
        /** How the amount was reached, step by step (empty until computed). */
        computation: string[];
        legalRefs: string[];
        statutes: string[];
        note: string;
      }
    | { owed: false; label: string; waitsForHandover: false; legalRefs: string[]; statutes: string[]; note: string };
  payments: { label: string; amountFen: number | null; payableNow: boolean; reason: string }[] | null;
  archiveTransfer: { deadline: string | null; transferred: boolean; transferredAt: string | null; overdue: boolean; note: string };
  warnings: string[];
}
