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
  successorUserid: string | null;
  state: "not_started" | "sending" | "waiting" | "done" | "refused" | "over_limit" | "failed" | "unassigned";
  at: string | null;
  nextStep: string | null;
}

/** What a candidate is, in one line: 朝阳校区 · 语文 · 已有 3 位家长. */
export function candidateLine(c: Candidate): string {
  return [c.campus, c.subjects.join("、") || c.position, `已有 ${c.parentCount} 位家长`].filter(Boolean).join(" · ");
}
