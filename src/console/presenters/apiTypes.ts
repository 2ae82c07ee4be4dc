/** The slices of the service's API answers the console renders (see the API's presenters for the full shapes). */

export interface CaseSummary {
  id: string;
  status: string;
  statusLabel: string;
  requestedLastDay: string | null;
  lastDay: string | null;
  employeeUserid: string;
  employeeName: string;
}

export interface CaseDetail extends CaseSummary {
  noticeDate: string;
  reasonCategory: string;
  reasonText: string;
  noticeSigned: boolean;
  certificateIssued: boolean;
  approvals: { step: string; label: string; approverName: string; decision: string; reason?: string; decidedAt?: string; cardNote?: string }[];
  timeline: { at: string; kind: string; label: string; detail?: string }[];
  transfers: { total: number; done: number; waiting: number; failed: number };
  noticeDeadline?: { deadline: string; provisional: boolean; caveat: string | null; escalated: boolean } | null;
  receiverUserid?: string | null;
  supervisorUserid?: string | null;
}

export interface NoticeView {
  text: string;
  sha256: string;
  signed: { typedName: string; signedAt: string; signatureSha256: string; documentSha256: string } | null;
}

export type Verification = { ok: true; length: number; headHash: string } | { ok: false; index: number; problem: string; detail: string };

export interface PlanView {
  leaverUserid: string;
  state: string;
  origin: string;
  caseId: string | null;
  perSuccessor: { successorUserid: string; name: string | null; parents: number; groups: number }[];
  unassigned: { parents: string[]; groups: string[] };
  /** "无同学科持证教师 …" when no eligible successor is certified for the leaver's subject. */
  qualificationNote?: string | null;
  /** What a certificate imported or edited later changed in the plan (or, once confirmed, would change). */
  certificateChangeNote?: string | null;
  items: { kind: "parent" | "group"; id: string; name: string; successorUserid: string | null; successorName: string | null; reason: string; hrChoice: string | null; classCodes: string[] }[];
  progress?: Record<string, unknown>;
}

export interface AlertRow {
  id: string;
  branchId: number;
  kind: string;
  severity: string;
  staffUserId: string;
  staffName: string;
  parents: string[];
  reasons: string[];
  title: string;
  summary: string;
  status: "open" | "frozen" | "freeze_pending_it" | "false_positive";
  caseId: string | null;
  openedAt: string;
}

export interface ContextMessage {
  msgid: string;
  at: string;
  direction: "outbound" | "inbound";
  text: string | null;
}

export interface AlertDetail {
  alert: AlertRow;
  context: { before: ContextMessage[]; hit: ContextMessage; after: ContextMessage[] }[];
  /** Display names of the staff member and the parents affected. */
  names: Record<string, string>;
  actions: { action: string; actor_userid: string; via: string; reason: string | null; at: string }[];
}

export const ALERT_STATUS_LABELS: Record<AlertRow["status"], string> = {
  open: "待处理",
  frozen: "已冻结账号",
  freeze_pending_it: "待 IT 冻结",
  false_positive: "误报",
};

/** What a reminder nags about (the resignation steps the sweep reminds of). */
export const REMINDER_SUBJECT_LABELS: Record<string, string> = {
  notice_signature: "签署离职通知",
  approval_step: "审批",
  checklist_signature: "交接清单签字",
};

export interface ChecklistView {
  items: { id: string; kind: string; title: string; detail?: string; owner: string; auto: boolean; done: boolean; doneAt?: string; /** Who ticked it, as a person reads it: 系统 or a name (the API never sends a userid). */ verifiedBy?: string }[];
  signatures: { role: string; roleLabel: string; name: string; signedAt: string }[];
  /** Who has still to sign, by name (HR's view). */
  awaitingSignatures?: { role: string; roleLabel: string; name: string }[];
  complete: boolean;
}

export interface SentReminder {
  subjectKind: string;
  recipientUserid: string;
  kind: "reminder" | "escalation";
  seq: number;
  recipients: string[];
  queuedAt: string;
}

export interface ThreadSummaryView {
  kind: "single" | "room";
  staffUserid?: string;
  externalUserid?: string;
  roomId?: string;
  messages: number;
  lastAt: string;
}

export interface MessageView {
  msgid: string;
  action: "send" | "recall";
  type: string;
  from: string;
  to: string[];
  roomId: string | null;
  sentAt: string;
  text: string;
  recalled: boolean;
  recalledAt: string | null;
}

export interface PersonRef {
  id: string;
  name: string | null;
}

export interface SearchHit {
  message: MessageView;
  snippet: string;
  highlight: { before: string; match: string; after: string };
  from: PersonRef | null;
  staff: PersonRef | null;
  parent: PersonRef | null;
  room: string | null;
}

export interface SearchAnswer {
  data: SearchHit[];
  total: number;
  page: number;
  pageSize: number;
  truncated: boolean;
  index: SearchIndexProgress;
}

export interface SearchIndexProgress {
  complete: boolean;
  percent: number;
}

export interface ReminderPolicyView {
  branchId: number;
  policy: { firstAfterHours: number; everyHours: number; escalateAfter: number; quietHours: { start: string; end: string; tz: string } };
  inherited: boolean;
}

export interface ApprovalChainView {
  branchId: number;
  chain: { key: string; role: "department_head" | "it" | "hr"; label: string; duties: string[] }[];
}

export interface AlertSettingsView {
  branchId: number;
  rules: Record<string, unknown>;
  notifier: { webhookKey?: string; mentionUserIds: string[]; hrUserIds: string[]; routes: Record<string, { webhook: boolean; app: boolean; digest: boolean }> };
  version: number;
}
