import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { generateChecklist, isAutoVerified, type ChecklistSource, type ItemKind } from "../rules/handoverChecklist";
import type { CaseRow } from "./caseStore";

export type ItemOwner = "leaver" | "receiver" | "hr" | "it" | "supervisor";

export interface ItemRow {
  id: string;
  kind: ItemKind;
  title: string;
  detail: { key: string; text?: string; entries?: { id: string; name: string; suggestedSuccessorUserId?: string }[] };
  owner: ItemOwner;
  auto: boolean;
  doneAt: Date | null;
  doneBy: string | null;
  note: string | null;
}

export interface SignatureRow {
  role: "handover" | "receiver" | "supervisor";
  userid: string;
  name: string;
  signedAt: Date;
}

const OWNERS: Record<ItemKind, ItemOwner> = {
  all_parents_transferred: "leaver",
  all_groups_transferred: "leaver",
  class_handover: "leaver",
  follow_up: "leaver",
  account_disabled: "it",
  device_returned: "it",
  custom: "hr",
};

/**
 * What the leaver has, from our mirrors: parents followed (with the successor
 * the handover's rule gives each, `successorsOf`), classes taught, and the
 * branch's accounts, devices and custom items from settings.
 */
export async function checklistSource(
  manager: EntityManager,
  row: CaseRow,
  branchId: number,
  successorsOf?: (manager: EntityManager, leaverUserid: string) => Promise<Map<string, string | null>>,
): Promise<ChecklistSource> {
  const successors = successorsOf ? await successorsOf(manager, row.employeeUserid) : new Map<string, string | null>();
  const parents: { external_userid: string; name: string }[] = await manager.query(
    `SELECT f.external_userid, coalesce(e.name, f.external_userid) AS name
     FROM follow_relation f LEFT JOIN external_contact e ON e.external_userid = f.external_userid
     WHERE f.staff_userid = $1 AND f.status = 'active' ORDER BY f.external_userid`,
    [row.employeeUserid],
  );
  const classes: { code: string; name: string; students: string }[] = await manager.query(
    `SELECT c.code, c.name, (SELECT count(*) FROM student s WHERE s.class_code = c.code) AS students
     FROM class_teacher ct JOIN school_class c ON c.code = ct.class_code WHERE ct.staff_userid = $1 ORDER BY c.code`,
    [row.employeeUserid],
  );
  const settings: { value: Partial<Pick<ChecklistSource, "accounts" | "devices" | "branchItems">> }[] = await manager.query(
    `SELECT value FROM app_setting WHERE key = 'resignation.checklist_items' AND scope IN ('global', $1) ORDER BY scope = 'global'`,
    [`department:${branchId}`],
  );
  const extra = settings[0]?.value ?? {};
  return {
    parents: parents.map((p) => ({ externalUserId: p.external_userid, name: p.name, suggestedSuccessorUserId: successors.get(p.external_userid) ?? undefined })),
    // Group chats owned are not mirrored yet; the transfer capability adds them.
    groupChats: [],
    classes: classes.map((c) => ({ classId: c.code, name: c.name, studentCount: Number(c.students) })),
    openFollowUps: [],
    accounts: extra.accounts ?? [],
    devices: extra.devices ?? [],
    branchItems: extra.branchItems ?? [],
  };
}

/** The rows a new checklist starts with, generated from what the leaver has (pure: no row is written). */
export function generatedItemRows(source: ChecklistSource): ItemRow[] {
  // An empty group list has nothing to hand over: leave it out rather than show an item that is trivially done.
  const items = generateChecklist(source).items.filter((item) => !(item.kind === "all_groups_transferred" && !item.entries?.length));
  return items.map((item) => ({
    id: randomUUID(),
    kind: item.kind,
    title: item.label,
    detail: { key: item.key, ...(item.entries ? { entries: item.entries } : {}) },
    owner: OWNERS[item.kind],
    auto: isAutoVerified(item.kind, item.key),
    doneAt: null,
    doneBy: null,
    note: null,
  }));
}

export async function saveGeneratedChecklist(manager: EntityManager, caseId: string, source: ChecklistSource): Promise<void> {
  for (const [position, item] of generatedItemRows(source).entries()) {
    await manager.query(
      `INSERT INTO handover_item (id, case_id, kind, title, detail, owner, auto, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [item.id, caseId, item.kind, item.title, JSON.stringify(item.detail), item.owner, item.auto, position],
    );
  }
}

/** The group chats item, added after the parents item when the plan names the leaver's groups (by name, for people). */
export async function addGroupsItem(manager: EntityManager, caseId: string, groups: { id: string; name: string }[]): Promise<void> {
  // Two readers opening the checklist at once: the case row's lock lets only the first add the item.
  await manager.query(`SELECT 1 FROM resignation_case WHERE id = $1 FOR UPDATE`, [caseId]);
  const [present] = await manager.query(`SELECT 1 FROM handover_item WHERE case_id = $1 AND kind = 'all_groups_transferred'`, [caseId]);
  if (present) return;
  const [parents]: { position: number }[] = await manager.query(`SELECT position FROM handover_item WHERE case_id = $1 AND kind = 'all_parents_transferred'`, [caseId]);
  const at = (parents?.position ?? -1) + 1;
  await manager.query(`UPDATE handover_item SET position = position + 1 WHERE case_id = $1 AND position >= $2`, [caseId, at]);
  await manager.query(
    `INSERT INTO handover_item (id, case_id, kind, title, detail, owner, auto, position) VALUES ($1, $2, 'all_groups_transferred', $3, $4, $5, true, $6)`,
    [randomUUID(), caseId, `转让全部家长群（${groups.length}个）`, JSON.stringify({ key: "groups", entries: groups }), OWNERS.all_groups_transferred, at],
  );
}

export async function loadItems(manager: EntityManager, caseId: string): Promise<ItemRow[]> {
  const rows = await manager.query(
    `SELECT id, kind, title, detail, owner, auto, done_at, done_by, note FROM handover_item WHERE case_id = $1 ORDER BY position`,
    [caseId],
  );
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as string,
    kind: r.kind as ItemKind,
    title: r.title as string,
    detail: r.detail as ItemRow["detail"],
    owner: r.owner as ItemOwner,
    auto: r.auto as boolean,
    doneAt: (r.done_at as Date | null) ?? null,
    doneBy: (r.done_by as string | null) ?? null,
    note: (r.note as string | null) ?? null,
  }));
}

export async function loadSignatures(manager: EntityManager, caseId: string): Promise<SignatureRow[]> {
  const rows = await manager.query(`SELECT role, userid, name, signed_at FROM handover_signature WHERE case_id = $1 ORDER BY signed_at`, [caseId]);
  return rows.map((r: Record<string, unknown>) => ({ role: r.role, userid: r.userid, name: r.name, signedAt: r.signed_at }) as SignatureRow);
}
