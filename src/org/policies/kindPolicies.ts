import type { Actor } from "./actor";
import { subtreePolicy, type Policy } from "./policy";
import type { Action, Resource } from "./resources";
import { everything, nothing } from "./scope";

type Of<K extends Resource["kind"]> = Extract<Resource, { kind: K }>;

const READERS = { subtree: ["hr", "campus_head"] } as const;
const HR = { subtree: ["hr"] } as const;

/**
 * Resignation cases: HR and campus heads of the leaver's subtree read, HR
 * changes; the employee reads and updates their own; an approver decides only
 * the steps assigned to them and reads the case. The handover receiver (the
 * successor) and the supervisor take part in the handover checklist only:
 * the case itself (reason for leaving, the dossier with its IP addresses and
 * signatures) is the leaver's and HR's, not a colleague's.
 */
export const casePolicy = subtreePolicy<Of<"case">>(
  { read: { subtree: [...READERS.subtree] }, update: { subtree: [...HR.subtree] }, handover: { subtree: [...READERS.subtree] } },
  (actor, action, r) => {
    if (r.employeeUserid === actor.userid) return action === "read" || action === "update" || action === "handover";
    if (action === "approve") return r.approverUserids.includes(actor.userid);
    if (action === "read") return r.approverUserids.includes(actor.userid);
    // IT and HR approvers own checklist items (accounts, devices); the receiver and the supervisor sign.
    if (action === "handover") return r.approverUserids.includes(actor.userid) || (r.receiverUserids ?? []).includes(actor.userid);
    return false;
  },
);

/**
 * Staff records and accounts: HR and campus heads of the subtree read, IT
 * reads and freezes company-wide (it runs accounts and devices), HR changes
 * and freezes within its subtree; everyone reads their own record.
 */
export const staffPolicy = subtreePolicy<Of<"staff">>(
  { read: { subtree: [...READERS.subtree], anywhere: ["it"] }, update: { subtree: [...HR.subtree] }, freeze: { subtree: [...HR.subtree], anywhere: ["it"] } },
  (actor, action, r) => r.userid === actor.userid && action === "read",
);

/**
 * The chat archive: HR and campus heads of the subtree read, only HR
 * exports; a successor reads and exports the threads of the parents handed to
 * them (记录继承), and nobody reads an archive by being its subject.
 */
export const conversationPolicy = subtreePolicy<Of<"conversation">>(
  { read: { subtree: [...READERS.subtree] }, export: { subtree: [...HR.subtree] } },
  (actor, action, r) => {
    if (action !== "read" && action !== "export") return false;
    const handed = r.inheritedBy.find((i) => i.successorUserid === actor.userid);
    return handed !== undefined && r.externalUserId !== undefined && handed.externalUserIds.includes(r.externalUserId);
  },
);

/** Risk alerts: HR and campus heads of the subtree read; only HR changes and dismisses; HR of the subtree or IT freezes. */
export const alertPolicy = subtreePolicy<Of<"alert">>({
  read: { subtree: [...READERS.subtree] },
  update: { subtree: [...HR.subtree] },
  dismiss: { subtree: [...HR.subtree] },
  freeze: { subtree: [...HR.subtree], anywhere: ["it"] },
});

/** Leavers in the alumni pool: HR and campus heads of the subtree read; HR rates them (grades are HR's only). */
export const alumniPolicy = subtreePolicy<Of<"alumni">>({ read: { subtree: [...READERS.subtree] }, update: { subtree: [...HR.subtree] } });

/** Branch settings (reminders, approval chain, alert rules): HR and campus heads of the branch read, its HR changes. */
const branchRules = subtreePolicy<{ departmentPaths: number[][] }>({ read: { subtree: [...READERS.subtree] }, update: { subtree: [...HR.subtree] } });
export const branchPolicy: Policy<Of<"branch">> = {
  can: (actor, action, r) => branchRules.can(actor, action, { departmentPaths: [r.departmentPath] }),
  scope: (actor, action) => branchRules.scope(actor, action),
};

/** Role grants and roster imports: HQ admins only. */
export const rolesPolicy: Policy<Of<"roles">> = {
  can: (actor) => actor.grants.some((g) => g.role === "hq_admin"),
  scope: (actor) => (actor.grants.some((g) => g.role === "hq_admin") ? everything : nothing),
};

/**
 * Company-wide settings (working calendar years, the written-notice deadline):
 * everyone who runs cases reads them; only HQ changes what applies to every branch.
 */
const isHq = (actor: Actor) => actor.grants.some((g) => g.role === "hq_admin");
export const companySettingsPolicy: Policy<Of<"company_settings">> = {
  can: (actor, action) => isHq(actor) || (action === "read" && actor.grants.some((g) => g.role === "hr" || g.role === "campus_head")),
  scope: (actor) => (isHq(actor) ? everything : nothing),
};

export const policies: { [K in Resource["kind"]]: Policy<Of<K>> } = {
  case: casePolicy,
  staff: staffPolicy,
  conversation: conversationPolicy,
  alert: alertPolicy,
  alumni: alumniPolicy,
  branch: branchPolicy,
  roles: rolesPolicy,
  company_settings: companySettingsPolicy,
};

export function policyFor<K extends Resource["kind"]>(kind: K): Policy<Of<K>> {
  return policies[kind] as Policy<Of<K>>;
}

export type { Actor, Action };
