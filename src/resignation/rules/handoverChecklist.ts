import { ValidationError } from "../../platform/errors";

/**
 * The handover checklist (离职交接清单), generated from what the leaver has:
 * parents they follow, group chats they own, classes, open follow-ups,
 * accounts, devices, and the branch's own items. Items the service can check
 * itself (parents and groups transferred, accounts disabled) are "auto": only
 * `evaluateAutoItems` sets them, from facts, so nobody can tick them by hand.
 * The list is complete when every item is done and the outgoing person
 * (移交人), the receiver (接收人) and the supervisor (监交人) have signed.
 */

export type AutoKind = "all_parents_transferred" | "all_groups_transferred" | "account_disabled";
export type ManualKind = "class_handover" | "follow_up" | "device_returned" | "custom";
export type ItemKind = AutoKind | ManualKind;

export interface ChecklistItem {
  key: string;
  kind: ItemKind;
  label: string;
  detail?: string;
  done: boolean;
  /** Per-entity suggestions, e.g. each parent with a suggested successor. */
  entries?: { id: string; name: string; suggestedSuccessorUserId?: string }[];
  completedBy?: string;
  completedAt?: string;
}

export interface ChecklistSource {
  parents: { externalUserId: string; name: string; suggestedSuccessorUserId?: string }[];
  groupChats: { chatId: string; name: string; suggestedSuccessorUserId?: string }[];
  classes: { classId: string; name: string; studentCount: number }[];
  openFollowUps: { id: string; summary: string }[];
  accounts: { key: string; label: string }[];
  devices: { assetTag: string; label: string }[];
  branchItems: { key: string; label: string }[];
}

export type SignerRole = "outgoing" | "receiver" | "supervisor";
export const SIGNER_ROLE_LABELS: Record<SignerRole, string> = { outgoing: "移交人", receiver: "接收人", supervisor: "监交人" };

export interface HandoverSignature {
  role: SignerRole;
  userId: string;
  at: string;
}

export interface Checklist {
  items: ChecklistItem[];
  signatures: HandoverSignature[];
}

export const AUTO_KINDS: readonly ItemKind[] = ["all_parents_transferred", "all_groups_transferred", "account_disabled"];

/** The one account the service can see the state of: the WeCom account (staff status from the directory mirror). */
export const WECOM_ACCOUNT_KEY = "wecom";

/**
 * Whether the service verifies this item itself. Parents and groups come from
 * WeCom's transfer results and the WeCom account from the directory; any other
 * account (a school-records system, e-mail) is invisible to us, so IT confirms
 * it by hand rather than the list claiming it closed when WeCom was.
 */
export function isAutoVerified(kind: ItemKind, key: string): boolean {
  if (kind === "account_disabled") return key === `account:${WECOM_ACCOUNT_KEY}`;
  return AUTO_KINDS.includes(kind);
}

export function generateChecklist(src: ChecklistSource): Checklist {
  const items: ChecklistItem[] = [];
  items.push({
    key: "parents",
    kind: "all_parents_transferred",
    label: `转接全部家长（${src.parents.length}位）`,
    done: false,
    entries: src.parents.map((p) => ({ id: p.externalUserId, name: p.name, suggestedSuccessorUserId: p.suggestedSuccessorUserId })),
  });
  items.push({
    key: "groups",
    kind: "all_groups_transferred",
    label: `转让全部家长群（${src.groupChats.length}个）`,
    done: false,
    entries: src.groupChats.map((g) => ({ id: g.chatId, name: g.name, suggestedSuccessorUserId: g.suggestedSuccessorUserId })),
  });
  for (const c of src.classes) {
    items.push({ key: `class:${c.classId}`, kind: "class_handover", label: `交接班级：${c.name}（学员${c.studentCount}名）`, done: false });
  }
  for (const f of src.openFollowUps) {
    items.push({ key: `follow_up:${f.id}`, kind: "follow_up", label: `未完成跟进：${f.summary}`, done: false });
  }
  for (const a of src.accounts) {
    items.push({ key: `account:${a.key}`, kind: "account_disabled", label: `停用账号：${a.label}`, done: false });
  }
  for (const d of src.devices) {
    items.push({ key: `device:${d.assetTag}`, kind: "device_returned", label: `归还设备：${d.label}（${d.assetTag}）`, done: false });
  }
  for (const b of src.branchItems) {
    items.push({ key: `custom:${b.key}`, kind: "custom", label: b.label, done: false });
  }
  const keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.key)) throw new ValidationError(`交接清单项目重复：${item.key}`);
    keys.add(item.key);
  }
  return { items, signatures: [] };
}

export interface HandoverFacts {
  /** Parents still followed by the leaver (from the WeCom mirror). */
  remainingParentIds: readonly string[];
  /** Group chats still owned by the leaver. */
  remainingGroupChatIds: readonly string[];
  /** Account keys confirmed disabled (only the WeCom account is ever known). */
  disabledAccountKeys: readonly string[];
  /** Of the remaining parents, how many refused the transfer or could not reach a successor: they need a follow-up. */
  parentsNeedingFollowUp?: number;
}

/**
 * Sets auto items from facts. An item can also go back to open (a parent
 * re-added, a transfer that WeCom later reports as failed).
 */
export function evaluateAutoItems(checklist: Checklist, facts: HandoverFacts): Checklist {
  const items = checklist.items.map((item): ChecklistItem => {
    switch (item.kind) {
      case "all_parents_transferred": {
        const n = facts.remainingParentIds.length;
        const stuck = Math.min(n, facts.parentsNeedingFollowUp ?? 0);
        const detail = n === 0 ? "全部家长已转接（企业微信确认）" : `尚有${n}位家长未转接${stuck > 0 ? `，其中${stuck}位拒绝或未能转接，需跟进` : ""}`;
        return { ...item, done: n === 0, detail };
      }
      case "all_groups_transferred": {
        // By group name: people know 三年级二班家长群, not its chat id.
        const remaining = facts.remainingGroupChatIds.map((id) => item.entries?.find((e) => e.id === id)?.name ?? "名称未同步的群");
        const all = (item.entries ?? []).map((e) => e.name).join("、");
        return { ...item, done: remaining.length === 0, detail: remaining.length === 0 ? `全部家长群已转让（${all}）` : `尚有${remaining.length}个家长群未转让：${remaining.join("、")}` };
      }
      case "account_disabled": {
        if (!isAutoVerified(item.kind, item.key)) return item;
        const done = facts.disabledAccountKeys.includes(item.key.slice("account:".length));
        return { ...item, done, detail: done ? "企业微信账号已停用或已删除" : "企业微信账号尚未停用" };
      }
      default:
        return item;
    }
  });
  return { ...checklist, items };
}

export function completeManualItem(checklist: Checklist, key: string, by: { userId: string; at: string }): Checklist {
  const item = checklist.items.find((i) => i.key === key);
  if (!item) throw new ValidationError(`交接清单中没有该项目：${key}`);
  if (isAutoVerified(item.kind, item.key)) throw new ValidationError("该项目由系统根据实际数据自动核验，不能手动勾选");
  return {
    ...checklist,
    items: checklist.items.map((i) => (i.key === key ? { ...i, done: true, completedBy: by.userId, completedAt: by.at } : i)),
  };
}

/**
 * Signatures attest a finished list, so signing an unfinished one is refused.
 * The supervisor must be a third person: neither the outgoing person nor the receiver.
 */
export function signChecklist(checklist: Checklist, signature: HandoverSignature): Checklist {
  const open = checklist.items.filter((i) => !i.done);
  if (open.length > 0) throw new ValidationError(`尚有${open.length}项交接未完成，暂不能签字`);
  if (checklist.signatures.some((s) => s.role === signature.role)) {
    throw new ValidationError(`${SIGNER_ROLE_LABELS[signature.role]}已签字`);
  }
  const others = checklist.signatures.filter((s) => s.userId === signature.userId);
  if (others.length > 0) throw new ValidationError("同一人不能以多个身份签字");
  return { ...checklist, signatures: [...checklist.signatures, signature] };
}

export function isComplete(checklist: Checklist): boolean {
  const roles = new Set(checklist.signatures.map((s) => s.role));
  return checklist.items.every((i) => i.done) && (["outgoing", "receiver", "supervisor"] as const).every((r) => roles.has(r));
}
