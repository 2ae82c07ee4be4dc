import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import { ConflictError } from "../../platform/errors";
import { WeComApiError, type AddInterceptRuleRequest, type InterceptRuleDetail, type UpdateInterceptRuleRequest, type WeComClient } from "../../wecom";

/**
 * One local intercept rule (a branch's keyword rule part, or the branch's
 * leaver rule) bound to exactly one WeCom rule, whatever happens between
 * WeCom's reply and our commit:
 *
 * - nothing bound yet: the attempt (name, payload, time) is committed first,
 *   then add_intercept_rule, then the rule_id. add_intercept_rule has no
 *   server-side dedupe (wecom-api.md corrections, path/92135), so a binding
 *   left in 'adding' is reconciled through get_intercept_rule_list and
 *   get_intercept_rule before anything is added again;
 * - bound and changed: update_intercept_rule with the difference from what
 *   WeCom holds now (read with get_intercept_rule, so an edit in the admin
 *   console is corrected too). An update is idempotent: a crash after it is
 *   repaired by doing it again;
 * - no longer wanted: del_intercept_rule, then the binding goes.
 */
export interface BindingKey {
  branchId: number;
  /** The branch's keyword rule id, or LEAVER_RULE_KEY. */
  ruleId: string;
  part: number;
}

export const LEAVER_RULE_KEY = "__leavers__";

export type SyncAction = "unchanged" | "added" | "adopted" | "updated" | "deleted" | "absent";

export interface SyncResult {
  action: SyncAction;
  wecomRuleId?: string;
}

export interface SyncDeps {
  dataSource: DataSource;
  client: WeComClient;
  clock: Clock;
}

interface BindingRow {
  state: "adding" | "synced";
  wecom_rule_id: string | null;
  payload_hash: string | null;
  payload: AddInterceptRuleRequest | null;
  attempt_name: string | null;
  attempt_at: Date | null;
}

/**
 * Our rule is gone from WeCom: 41070 "无效的聊天敏感词规则id" (never existed, e.g. deleted in the admin console
 * long ago) or 41071 "聊天敏感词规则已经被删除" — Tencent's global error codes (developer.work.weixin.qq.com/
 * document/path/90313), as transcribed in xen0n/go-workwx errcodes/mod.go (ErrCode41070, ErrCode41071).
 */
const RULE_GONE = new Set([41070, 41071]);

/**
 * 41077 "聊天敏感词规则名称不唯一": WeCom holds another rule under that name (one of ours, or one made by hand in the
 * admin console). Same source: path/90313 as transcribed in xen0n/go-workwx errcodes/mod.go (ErrCode41077).
 */
export const RULE_NAME_TAKEN = 41077;

/** WeCom refused our rule's name: nothing was created or renamed; HR has to choose another name (or remove the other rule). */
export class InterceptRuleNameTakenError extends ConflictError {
  constructor(readonly ruleName: string) {
    super(`企业微信中已有名为「${ruleName}」的聊天敏感词规则，企业微信要求规则名称在企业内唯一：请换一个拦截规则名称，或在企业微信管理后台删除同名规则`);
  }
}

/** Runs a WeCom call that sends `ruleName`, turning WeCom's 41077 into InterceptRuleNameTakenError. */
async function namedCall<T>(ruleName: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WeComApiError && err.errcode === RULE_NAME_TAKEN) throw new InterceptRuleNameTakenError(ruleName);
    throw err;
  }
}

export function payloadHash(payload: AddInterceptRuleRequest): string {
  return createHash("sha256").update(JSON.stringify(normalized(payload))).digest("hex");
}

/** Order-free form: WeCom keeps lists as sets, so [a, b] and [b, a] are the same rule. */
function normalized(p: AddInterceptRuleRequest) {
  return {
    rule_name: p.rule_name,
    word_list: [...p.word_list].sort(),
    semantics_list: [...(p.semantics_list ?? [])].sort(),
    intercept_type: p.intercept_type,
    user_list: [...(p.applicable_range.user_list ?? [])].sort(),
    department_list: [...(p.applicable_range.department_list ?? [])].sort((a, b) => a - b),
  };
}

function sameContent(detail: InterceptRuleDetail, payload: AddInterceptRuleRequest): boolean {
  const want = normalized(payload);
  const have = normalized({
    rule_name: detail.rule_name,
    word_list: detail.word_list,
    semantics_list: detail.semantics_list,
    intercept_type: detail.intercept_type,
    applicable_range: detail.applicable_range,
  });
  return JSON.stringify(want) === JSON.stringify(have);
}

async function loadBinding(deps: SyncDeps, key: BindingKey): Promise<BindingRow | undefined> {
  const rows: BindingRow[] = await deps.dataSource.query(
    `SELECT state, wecom_rule_id, payload_hash, payload, attempt_name, attempt_at FROM alert_intercept_rule WHERE branch_id = $1 AND rule_id = $2 AND part = $3`,
    [key.branchId, key.ruleId, key.part],
  );
  return rows[0];
}

async function saveSynced(deps: SyncDeps, key: BindingKey, wecomRuleId: string, payload: AddInterceptRuleRequest): Promise<void> {
  await deps.dataSource.query(
    `INSERT INTO alert_intercept_rule (branch_id, rule_id, part, state, wecom_rule_id, payload_hash, payload, pushed_at)
     VALUES ($1, $2, $3, 'synced', $4, $5, $6, $7)
     ON CONFLICT (branch_id, rule_id, part) DO UPDATE SET state = 'synced', wecom_rule_id = EXCLUDED.wecom_rule_id,
       payload_hash = EXCLUDED.payload_hash, payload = EXCLUDED.payload, pushed_at = EXCLUDED.pushed_at, attempt_name = NULL, attempt_at = NULL`,
    [key.branchId, key.ruleId, key.part, wecomRuleId, payloadHash(payload), JSON.stringify(payload), deps.clock.now()],
  );
}

async function dropBinding(deps: SyncDeps, key: BindingKey): Promise<void> {
  await deps.dataSource.query(`DELETE FROM alert_intercept_rule WHERE branch_id = $1 AND rule_id = $2 AND part = $3`, [key.branchId, key.ruleId, key.part]);
}

async function boundRuleIds(deps: SyncDeps): Promise<Set<string>> {
  const rows: { wecom_rule_id: string }[] = await deps.dataSource.query(`SELECT wecom_rule_id FROM alert_intercept_rule WHERE wecom_rule_id IS NOT NULL`);
  return new Set(rows.map((r) => r.wecom_rule_id));
}

async function getOrGone(deps: SyncDeps, wecomRuleId: string): Promise<InterceptRuleDetail | undefined> {
  try {
    return await deps.client.interceptRule.getInterceptRule(wecomRuleId);
  } catch (err) {
    if (err instanceof WeComApiError && RULE_GONE.has(err.errcode)) return undefined;
    throw err;
  }
}

/**
 * After an add whose outcome we never recorded: the rules WeCom holds under
 * the attempted name, not bound to any other local rule, with exactly the
 * attempted content. The first is ours; any further ones are duplicates of
 * the same attempt (a retried add) and are deleted so one rule remains.
 */
async function reconcileAttempt(deps: SyncDeps, binding: BindingRow): Promise<string | undefined> {
  if (!binding.attempt_name || !binding.payload) return undefined;
  const bound = await boundRuleIds(deps);
  const candidates = (await deps.client.interceptRule.getInterceptRuleList()).filter((r) => r.rule_name === binding.attempt_name && !bound.has(r.rule_id));
  const matches: string[] = [];
  for (const c of candidates) {
    const detail = await getOrGone(deps, c.rule_id);
    if (detail && sameContent(detail, binding.payload)) matches.push(c.rule_id);
  }
  const [ours, ...duplicates] = matches;
  for (const dup of duplicates) await deps.client.interceptRule.delInterceptRule(dup);
  return ours;
}

function diffUpdate(wecomRuleId: string, have: InterceptRuleDetail, want: AddInterceptRuleRequest): UpdateInterceptRuleRequest | undefined {
  const update: UpdateInterceptRuleRequest = { rule_id: wecomRuleId };
  if (have.rule_name !== want.rule_name) update.rule_name = want.rule_name;
  const wantWords = [...want.word_list].sort();
  if (JSON.stringify([...have.word_list].sort()) !== JSON.stringify(wantWords)) update.word_list = want.word_list;
  const wantSemantics = [...(want.semantics_list ?? [])].sort();
  if (JSON.stringify([...have.semantics_list].sort()) !== JSON.stringify(wantSemantics)) update.extra_rule = { semantics_list: wantSemantics };
  if (have.intercept_type !== want.intercept_type) update.intercept_type = want.intercept_type;
  const wantUsers = want.applicable_range.user_list ?? [];
  const wantDepts = want.applicable_range.department_list ?? [];
  const addUsers = wantUsers.filter((u) => !have.applicable_range.user_list.includes(u));
  const addDepts = wantDepts.filter((d) => !have.applicable_range.department_list.includes(d));
  const removeUsers = have.applicable_range.user_list.filter((u) => !wantUsers.includes(u));
  const removeDepts = have.applicable_range.department_list.filter((d) => !wantDepts.includes(d));
  if (addUsers.length || addDepts.length) {
    update.add_applicable_range = { ...(addUsers.length ? { user_list: addUsers } : {}), ...(addDepts.length ? { department_list: addDepts } : {}) };
  }
  if (removeUsers.length || removeDepts.length) {
    update.remove_applicable_range = { ...(removeUsers.length ? { user_list: removeUsers } : {}), ...(removeDepts.length ? { department_list: removeDepts } : {}) };
  }
  return Object.keys(update).length > 1 ? update : undefined;
}

/** Brings one binding to `desired` (undefined: the rule must not exist). Safe to run any number of times. */
export async function syncBinding(deps: SyncDeps, key: BindingKey, desired: AddInterceptRuleRequest | undefined): Promise<SyncResult> {
  let binding = await loadBinding(deps, key);

  if (binding?.state === "adding") {
    const found = await reconcileAttempt(deps, binding);
    if (found) {
      await saveSynced(deps, key, found, binding.payload!);
      binding = await loadBinding(deps, key);
      if (desired && payloadHash(desired) === binding!.payload_hash) return { action: "adopted", wecomRuleId: found };
    } else {
      // The attempt never reached WeCom: nothing to undo.
      await dropBinding(deps, key);
      binding = undefined;
    }
  }

  if (!desired) {
    if (!binding?.wecom_rule_id) return { action: "absent" };
    try {
      await deps.client.interceptRule.delInterceptRule(binding.wecom_rule_id);
    } catch (err) {
      if (!(err instanceof WeComApiError && RULE_GONE.has(err.errcode))) throw err;
    }
    await dropBinding(deps, key);
    return { action: "deleted", wecomRuleId: binding.wecom_rule_id };
  }

  if (binding?.wecom_rule_id) {
    if (binding.payload_hash === payloadHash(desired)) return { action: "unchanged", wecomRuleId: binding.wecom_rule_id };
    const have = await getOrGone(deps, binding.wecom_rule_id);
    if (have) {
      const update = diffUpdate(binding.wecom_rule_id, have, desired);
      if (update) await namedCall(desired.rule_name, () => deps.client.interceptRule.updateInterceptRule(update));
      await saveSynced(deps, key, binding.wecom_rule_id, desired);
      return { action: "updated", wecomRuleId: binding.wecom_rule_id };
    }
    // Deleted in the admin console: add it afresh below.
  }

  // Record the attempt before the non-idempotent call.
  await deps.dataSource.query(
    `INSERT INTO alert_intercept_rule (branch_id, rule_id, part, state, wecom_rule_id, payload_hash, payload, attempt_name, attempt_at)
     VALUES ($1, $2, $3, 'adding', NULL, NULL, $4, $5, $6)
     ON CONFLICT (branch_id, rule_id, part) DO UPDATE SET state = 'adding', wecom_rule_id = NULL, payload_hash = NULL,
       payload = EXCLUDED.payload, attempt_name = EXCLUDED.attempt_name, attempt_at = EXCLUDED.attempt_at`,
    [key.branchId, key.ruleId, key.part, JSON.stringify(desired), desired.rule_name, deps.clock.now()],
  );
  let wecomRuleId: string;
  try {
    wecomRuleId = await namedCall(desired.rule_name, () => deps.client.interceptRule.addInterceptRule(desired));
  } catch (err) {
    // Refused for its name: WeCom created nothing, so there is no attempt left to reconcile.
    if (err instanceof InterceptRuleNameTakenError) await dropBinding(deps, key);
    throw err;
  }
  await saveSynced(deps, key, wecomRuleId, desired);
  return { action: "added", wecomRuleId };
}

/** The bindings a branch holds, to find the ones its settings no longer want. */
export async function branchBindings(deps: SyncDeps, branchId: number): Promise<BindingKey[]> {
  const rows: { rule_id: string; part: number }[] = await deps.dataSource.query(
    `SELECT rule_id, part FROM alert_intercept_rule WHERE branch_id = $1 ORDER BY rule_id, part`,
    [branchId],
  );
  return rows.map((r) => ({ branchId, ruleId: r.rule_id, part: r.part }));
}
