import type { EntityManager } from "typeorm";
import { parentsTransferredAway, planGroupChats, reassignmentFacts } from "../../handover";
import { groupChatNames } from "../../parents";
import { sha256Hex } from "../../dossier";
import { AuthorizationError, ConflictError, ValidationError } from "../../platform/errors";
import { appendDossier } from "../../dossier";
import { transition, TRANSITIONS } from "../rules/caseStateMachine";
import { evaluateAutoItems, isComplete, WECOM_ACCOUNT_KEY, signChecklist as signRule, completeManualItem, type Checklist, type SignerRole } from "../rules/handoverChecklist";
import { updateCase, type CaseRow } from "../store/caseStore";
import { addGroupsItem, loadItems, loadSignatures, type ItemOwner, type ItemRow, type SignatureRow } from "../store/checklistStore";
import { staffName } from "../store/orgContext";
import type { DecodedSignature } from "./signatureImage";
import { closeReminders, openReminder } from "../../schedules";
import { ReminderKinds } from "../reminders/resignationReminders";

export type ChecklistRole = SignatureRow["role"];
const RULE_ROLE: Record<ChecklistRole, SignerRole> = { handover: "outgoing", receiver: "receiver", supervisor: "supervisor" };

/** The caller's signing role on this case, derived by the server. */
export function checklistRoleOf(row: CaseRow, userid: string): ChecklistRole | null {
  if (userid === row.employeeUserid) return "handover";
  if (userid === row.receiverUserid) return "receiver";
  if (userid === row.supervisorUserid) return "supervisor";
  return null;
}

/** Item owners the caller answers for. IT and HR items are theirs through the approval steps of those roles. */
export async function ownersOf(manager: EntityManager, row: CaseRow, userid: string): Promise<ItemOwner[]> {
  const owners: ItemOwner[] = [];
  if (userid === row.employeeUserid) owners.push("leaver");
  if (userid === row.receiverUserid) owners.push("receiver");
  if (userid === row.supervisorUserid) owners.push("supervisor");
  const steps: { step: string }[] = await manager.query(`SELECT step FROM approval_step WHERE case_id = $1 AND $2 = ANY(approver_userids)`, [row.id, userid]);
  for (const s of steps) if (s.step === "it" || s.step === "hr") owners.push(s.step);
  return owners;
}

function asRuleChecklist(items: ItemRow[], signatures: SignatureRow[]): Checklist {
  return {
    items: items.map((i) => ({ key: i.detail.key, kind: i.kind, label: i.title, done: i.doneAt !== null, entries: i.detail.entries })),
    signatures: signatures.map((s) => ({ role: RULE_ROLE[s.role], userId: s.userid, at: s.signedAt.toISOString() })),
  };
}

/**
 * Auto items follow the facts (parents still followed, account status), in
 * both directions: a parent re-added reopens the item.
 */
export async function refreshAutoItems(manager: EntityManager, row: CaseRow, now: Date): Promise<void> {
  let items = await loadItems(manager, row.id);
  if (!items.some((i) => i.auto)) return;
  // The leaver's group chats join the list once the handover plan knows them (the checklist is made before the plan).
  const groups = await planGroupChats(manager, row.employeeUserid);
  if (groups.length > 0 && !items.some((i) => i.kind === "all_groups_transferred")) {
    const names = await groupChatNames(manager, groups.map((g) => g.chatId));
    await addGroupsItem(manager, row.id, groups.map((g) => ({ id: g.chatId, name: names.get(g.chatId) ?? "家长群（名称未同步）" })));
    items = await loadItems(manager, row.id);
  }
  const groupsDone = new Set(groups.filter((g) => g.transferredAt !== null).map((g) => g.chatId));
  const groupIds = items.flatMap((i) => (i.kind === "all_groups_transferred" ? (i.detail.entries ?? []).map((e) => e.id) : []));
  const parentIds = items.flatMap((i) => (i.kind === "all_parents_transferred" ? (i.detail.entries ?? []).map((e) => e.id) : []));
  const followed: { external_userid: string }[] = await manager.query(
    `SELECT external_userid FROM follow_relation WHERE staff_userid = $1 AND status = 'active' AND external_userid = ANY($2)`,
    [row.employeeUserid, parentIds],
  );
  // A resigned transfer leaves the leaver's side of the relation in place: WeCom's confirmed result is what counts.
  const handedOver = await parentsTransferredAway(manager, row.employeeUserid, parentIds);
  const remaining = followed.filter((f) => !handedOver.has(f.external_userid));
  const stuck = new Set((await reassignmentFacts(manager, row.employeeUserid)).problems.filter((p) => p.kind === "parent").map((p) => p.id));
  const status: { status: number; closed_at: Date | null }[] = await manager.query(
    `SELECT status, coalesce(left_at, to_timestamp((field_times->>'status')::bigint)) AS closed_at FROM staff WHERE userid = $1`,
    [row.employeeUserid],
  );
  // WeCom member status: 2 disabled, 5 left (deleted); 4 (not yet activated) is not closed.
  const disabled = status[0]?.status === 2 || status[0]?.status === 5;
  const evaluated = evaluateAutoItems(asRuleChecklist(items, []), {
    remainingParentIds: remaining.map((r) => r.external_userid),
    remainingGroupChatIds: groupIds.filter((id) => !groupsDone.has(id)),
    // A deleted member (status 5) or a disabled one (2) can no longer sign in: the WeCom account is closed.
    disabledAccountKeys: disabled ? [WECOM_ACCOUNT_KEY] : [],
    parentsNeedingFollowUp: remaining.filter((r) => stuck.has(r.external_userid)).length,
  });
  // An item is stamped with when the fact happened (WeCom's last confirmed transfer, the account's closing), not when someone looked.
  const [lastTransfer]: { at: Date | null }[] = await manager.query(
    `SELECT max(coalesce(takeover_at, updated_at)) AS at FROM customer_transfer WHERE leaver_userid = $1 AND status = 'done' AND external_userid = ANY($2)`,
    [row.employeeUserid, parentIds],
  );
  const factTime = (kind: ItemRow["kind"]): Date => {
    const lastGroup = groups.reduce<Date | null>((latest, g) => (g.transferredAt && (!latest || g.transferredAt > latest) ? g.transferredAt : latest), null);
    const at = kind === "account_disabled" ? status[0]?.closed_at : kind === "all_parents_transferred" ? lastTransfer?.at : kind === "all_groups_transferred" ? lastGroup : null;
    return at && at.getTime() <= now.getTime() ? at : now;
  };
  for (const [index, item] of items.entries()) {
    if (!item.auto) continue;
    const done = evaluated.items[index].done;
    const detail = evaluated.items[index].detail ?? null;
    if (done === (item.doneAt !== null)) {
      // Same state, newer words (e.g. "尚有2位…" becomes "尚有1位…"): the note follows the facts, the dossier records changes of state only.
      if (detail !== item.note) await manager.query(`UPDATE handover_item SET note = $2 WHERE id = $1`, [item.id, detail]);
      continue;
    }
    await manager.query(`UPDATE handover_item SET done_at = $2, done_by = $3, note = $4 WHERE id = $1`, [
      item.id,
      done ? factTime(item.kind) : null,
      done ? "system" : null,
      evaluated.items[index].detail ?? null,
    ]);
    await appendDossier(manager, row.id, now, done ? "checklist_item_verified" : "checklist_item_reopened", { type: "system", id: "resignation" }, {
      itemId: item.id,
      kind: item.kind,
      detail: evaluated.items[index].detail ?? null,
    });
  }
}

export async function completeItem(manager: EntityManager, row: CaseRow, userid: string, itemId: string, note: string | undefined, now: Date): Promise<void> {
  const items = await loadItems(manager, row.id);
  const item = items.find((i) => i.id === itemId);
  if (!item) throw new ValidationError("交接清单中没有该项目");
  if (!(await ownersOf(manager, row, userid)).includes(item.owner)) throw new AuthorizationError("该交接项目不由您负责");
  if (item.doneAt) throw new ConflictError("该交接项目已完成");
  completeManualItem(asRuleChecklist(items, []), item.detail.key, { userId: userid, at: now.toISOString() });
  await manager.query(`UPDATE handover_item SET done_at = $2, done_by = $3, note = $4 WHERE id = $1`, [itemId, now, userid, note ?? null]);
  await appendDossier(manager, row.id, now, "checklist_item_done", { type: "user", id: userid }, { itemId, kind: item.kind, title: item.title, note: note ?? null });
}

/**
 * Signs for the caller's derived role. When the third signature lands the
 * handover is confirmed: economic compensation, where owed, becomes payable.
 */
export async function signChecklistAs(
  manager: EntityManager,
  row: CaseRow,
  userid: string,
  signature: DecodedSignature,
  now: Date,
): Promise<CaseRow> {
  const role = checklistRoleOf(row, userid);
  if (!role) throw new AuthorizationError("您不是该交接的移交人、接收人或监交人");
  const name = await staffName(manager, userid);
  if (signature.typedName !== name) throw new ValidationError("签名姓名与本人姓名不一致", [{ path: "typedName", message: "must equal your name" }]);
  await refreshAutoItems(manager, row, now);
  const items = await loadItems(manager, row.id);
  const signatures = await loadSignatures(manager, row.id);
  if (signatures.some((s) => s.role === role)) throw new ConflictError("您已签字");
  const after = signRule(asRuleChecklist(items, signatures), { role: RULE_ROLE[role], userId: userid, at: now.toISOString() });
  const imageSha256 = sha256Hex(signature.image);
  await manager.query(
    `INSERT INTO handover_signature (case_id, role, userid, name, signed_at, signature_sha256, signature_image) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, role, userid, name, now, imageSha256, signature.image],
  );
  await closeReminders(manager, ReminderKinds.checklistSignature, row.id, now, userid);
  await appendDossier(manager, row.id, now, "checklist_signed", { type: "user", id: userid, name }, { role, signatureSha256: imageSha256 });
  if (!isComplete(after) || TRANSITIONS[row.state].handover_confirmed === undefined) return row;
  const updated = await updateCase(manager, row, { state: transition(row.state, "handover_confirmed") }, now);
  await manager.query(`UPDATE settlement SET compensation_released_at = $2 WHERE case_id = $1 AND compensation_owed AND compensation_released_at IS NULL`, [row.id, now]);
  await appendDossier(manager, row.id, now, "handover_confirmed", { type: "system", id: "resignation" }, { state: updated.state });
  return updated;
}

/**
 * The handover has started (every approval given): from now on the leaver,
 * the receiver and the supervisor are reminded every 24 hours until each has
 * reviewed and signed the checklist.
 */
export async function openChecklistReminders(manager: EntityManager, row: CaseRow, now: Date): Promise<void> {
  for (const signer of new Set([row.employeeUserid, row.receiverUserid, row.supervisorUserid])) {
    if (!signer) continue;
    await openReminder(manager, {
      subjectKind: ReminderKinds.checklistSignature,
      subjectId: row.id,
      recipientUserid: signer,
      caseId: row.id,
      departmentId: row.departmentId,
      openedAt: now,
    });
  }
}
