/** The handover API's candidate and board answers, as the console renders them. */
export interface Candidate {
  userid: string;
  name: string;
  campus: string | null;
  position: string | null;
  subjects: string[];
  parentCount: number;
  eligible: boolean;
  refusal?: "is_leaver" | "not_on_roster" | "left" | "leaving";
}

export interface BoardRow {
  kind: "parent" | "group";
  id: string;
  leaverUserid: string;
  successorUserid: string | null;
  state: "not_started" | "sending" | "waiting" | "done" | "refused" | "over_limit" | "failed" | "unassigned";
  at: string | null;
  nextStep: string | null;
  /** A transfer that did not go through: who must act (接替老师 or 人事, by userid for names) and how. */
  followUp: { owner: "successor" | "hr"; action: string; ownerUserids: string[] } | null;
}

/** `GET /api/handover/inherited`: one row of what the caller inherits. */
export interface InheritedRow extends BoardRow {
  historyReadable: boolean;
  health: { state: string; stateLabel: string; reason: string } | null;
}

/** `GET /api/hr/handover-duties`: a handover checklist the caller must still sign. */
export interface HandoverDuty {
  caseId: string;
  roleLabel: string;
  leaverName: string;
  lastDay: string;
  miniProgramPage: string;
}

/** What a candidate is, in one line: 朝阳校区 · 语文 · 已有 3 位家长. */
export function candidateLine(c: Candidate): string {
  return [c.campus, c.subjects.join("、") || c.position, `已有 ${c.parentCount} 位家长`].filter(Boolean).join(" · ");
}
