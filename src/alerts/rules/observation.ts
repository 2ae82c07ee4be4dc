/**
 * What the risk rules see: archived messages and contact-change callbacks,
 * already decrypted and normalised by their producers. Times are instants;
 * the rules never read a clock.
 */
export interface MessageObservation {
  kind: "message";
  msgid: string;
  at: Date;
  staffUserId: string;
  direction: "outbound" | "inbound";
  /** The 1:1 parent, or the group's external members. */
  externalUserIds: string[];
  roomId?: string;
  msgtype: string;
  text?: string;
}

export type ContactChange = "del_external_contact" | "del_follow_user" | "add_external_contact";

export interface ContactEventObservation {
  kind: "contact_event";
  at: Date;
  staffUserId: string;
  externalUserId: string;
  change: ContactChange;
  /** WeCom `Source`; DELETE_BY_TRANSFER deletions are our own transfers, not the teacher's doing. */
  source?: string;
}

export type Observation = MessageObservation | ContactEventObservation;

export type EmploymentPhase = "active" | "notice_period" | "after_last_day";

export interface StaffContext {
  staffUserId: string;
  employmentPhase: EmploymentPhase;
  /** Last working day, "YYYY-MM-DD" in the branch's zone. */
  lastDay?: string;
  departmentIds?: number[];
  /** Display name for the HR card. */
  name?: string;
}
