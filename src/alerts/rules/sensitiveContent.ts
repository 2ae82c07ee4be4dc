import { AhoCorasick } from "./ahoCorasick";
import { findEmails, findMobileNumbers, findPrivateAccountIds } from "./contactPatterns";
import { DIVERSION_PHRASES } from "./diversionPhrases";
import { MessageObservation, StaffContext } from "./observation";
import { SensitiveRule } from "./riskConfig";
import { normalizeForMatching } from "./textNormalize";

const RED_PACKET_TYPES = new Set(["redpacket", "external_redpacket"]);
const CARD_TYPES = new Set(["card"]);
const diversionMatcher = new AhoCorasick(DIVERSION_PHRASES);

/** A rule with its keyword automaton built once per config version, not per message. */
export interface CompiledSensitiveRule {
  rule: SensitiveRule;
  words: AhoCorasick;
}

export function compileSensitiveRule(rule: SensitiveRule): CompiledSensitiveRule {
  return { rule, words: new AhoCorasick(rule.words.map(normalizeForMatching)) };
}

export function ruleApplies(rule: SensitiveRule, msg: MessageObservation, staff: StaffContext): boolean {
  if (!rule.enabled || !rule.directions.includes(msg.direction)) return false;
  const { staffUserIds, departmentIds } = rule.scope;
  if (staffUserIds.length === 0 && departmentIds.length === 0) return true;
  return (
    staffUserIds.includes(staff.staffUserId) ||
    (staff.departmentIds ?? []).some((d) => departmentIds.includes(d))
  );
}

function maskMobile(m: string): string {
  return `${m.slice(0, 3)}****${m.slice(7)}`;
}

/** Human-readable reasons (Chinese, for the HR card) why the message hits the rule; empty = no hit. */
export function sensitiveHits(msg: MessageObservation, compiled: CompiledSensitiveRule): string[] {
  const { rule, words } = compiled;
  const acts = new Set(rule.acts);
  const text = msg.text ?? "";
  const normalized = normalizeForMatching(text);
  const reasons: string[] = [];

  for (const w of words.distinctMatches(normalized)) reasons.push(`关键词「${w}」`);
  if (acts.has("phone")) for (const m of findMobileNumbers(text)) reasons.push(`手机号 ${maskMobile(m)}`);
  if (acts.has("email")) for (const e of findEmails(text)) reasons.push(`邮箱 ${e}`);
  if (acts.has("private_account")) for (const id of findPrivateAccountIds(text)) reasons.push(`私人账号 ${id}`);
  if (acts.has("diversion")) {
    for (const p of diversionMatcher.distinctMatches(normalized)) reasons.push(`引导家长添加私人联系方式「${p}」`);
  }
  if (acts.has("red_packet") && RED_PACKET_TYPES.has(msg.msgtype)) reasons.push("发红包");
  if (acts.has("card") && CARD_TYPES.has(msg.msgtype)) reasons.push("发送个人名片");
  return reasons;
}
