/**
 * What a policy needs to know about a resource: whose it is and where in the
 * branch tree that person sits. `departmentPaths` holds, for each department
 * of the subject, the ids from the root down to it (e.g. [1, 2, 7]).
 */
export type Resource =
  | { kind: "staff"; userid: string; departmentPaths: number[][] }
  | { kind: "case"; employeeUserid: string; departmentPaths: number[][]; approverUserids: string[]; receiverUserids?: string[] }
  | {
      kind: "conversation";
      staffUserid: string;
      departmentPaths: number[][];
      /** Parents whose threads were handed to a successor: successor → parents. */
      inheritedBy: { successorUserid: string; externalUserIds: string[] }[];
      externalUserId?: string;
    }
  | { kind: "alert"; staffUserid: string; departmentPaths: number[][] }
  | { kind: "alumni"; userid: string; departmentPaths: number[][] }
  | { kind: "branch"; departmentPath: number[] }
  | { kind: "roles" }
  /** Company-wide settings (the written-notice deadline, the official holiday calendar). */
  | { kind: "company_settings" };

/**
 * read: see it; update: change it; approve: decide an approval step;
 * manage: grant roles, import rosters; freeze: disable an account;
 * dismiss: mark an alert a false positive; export: take a copy out;
 * handover: take part in a case's handover checklist (see it, tick one's own
 * items, sign) without reading the case itself.
 */
export type Action = "read" | "export" | "update" | "approve" | "manage" | "freeze" | "dismiss" | "handover";
