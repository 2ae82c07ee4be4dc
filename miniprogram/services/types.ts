/**
 * Shapes of the /api/mp contract (see the server's mini-program routes).
 * Kept free of wx globals so Node tests and the server's end-to-end test can import them.
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

export interface CaseSummary {
  id: string;
  status: string;
  statusLabel: string;
  requestedLastDay: string;
  lastDay: string;
}

export interface Approval {
  step: "department_head" | "it" | "hr";
  label: string;
  approverName: string;
  decision: "pending" | "approved" | "rejected";
  reason?: string;
  decidedAt?: string;
}

export interface TimelineEntry {
  at: string;
  /** created, notice_signed, approval, reminder, transfer, certificate_issued, withdrawn, … */
  kind: string;
  label: string;
  detail?: string;
}

export interface Case extends CaseSummary {
  noticeDate: string;
  reasonCategory: ReasonCategory;
  reasonText: string;
  handoverNotes: string;
  earliest: Earliest;
  noticeSigned: boolean;
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
export type ChecklistRole = "handover" | "receiver" | "supervisor";

export interface ChecklistItem {
  id: string;
  kind: string;
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
  text: string;
  fields: {
    employeeName: string;
    employer: string;
    position: string;
    contractTerm: string;
    terminationDate: string;
    yearsOfService: string | number;
    issueDate: string;
  };
  sha256: string;
}

export interface FieldError {
  path: string;
  message: string;
}
