/**
 * What a certificate imported or edited later changed in a handover plan, in HR's words (issue 18: the
 * plan's 「无同学科持证教师」 note must not go stale). Pure: the caller passes the plan's successors before and
 * after choosing again, the subjects nobody eligible was certified for before and after, and names.
 */
export interface ReplanComparison {
  /** Successor per item ("parent:wm…" / "group:wr…"), null: nobody. */
  before: Map<string, string | null>;
  after: Map<string, string | null>;
  subjectsBefore: string[];
  subjectsAfter: string[];
  /** HR confirmed the plan: it is not changed, the note says what the new certificates would change. */
  confirmed: boolean;
  names: Map<string, string>;
}

/**
 * The note (the plan shows it after the day it was written), or null when the certificates change nothing in
 * this plan. A confirmed plan keeps differing from the rule's choice; the caller writes the note again only
 * when it says something new.
 */
export function certificateReplanNote(c: ReplanComparison): string | null {
  const moved = new Map<string | null, { parents: number; groups: number }>();
  for (const [key, successor] of c.after) {
    if ((c.before.get(key) ?? null) === successor) continue;
    const m = moved.get(successor) ?? { parents: 0, groups: 0 };
    if (key.startsWith("group:")) m.groups++;
    else m.parents++;
    moved.set(successor, m);
  }
  const cleared = c.subjectsBefore.filter((s) => !c.subjectsAfter.includes(s));
  const added = c.subjectsAfter.filter((s) => !c.subjectsBefore.includes(s));
  if (moved.size === 0 && cleared.length === 0 && added.length === 0) return null;

  const count = (m: { parents: number; groups: number }) => [m.parents ? `${m.parents} 位家长` : "", m.groups ? `${m.groups} 个群聊` : ""].filter(Boolean).join("、");
  const verb = c.confirmed ? "将改由" : "改由";
  const moves = [...moved]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : (c.names.get(a) ?? "").localeCompare(c.names.get(b) ?? "", "zh-CN")))
    .map(([to, m]) => (to === null ? `${count(m)}暂无可接替的老师` : `${count(m)}${verb}${c.names.get(to) ?? "另一位老师"}接替`));
  const facts = [
    ...moves,
    ...(cleared.length > 0 ? [`${cleared.join("、")}学科已有持有效教师资格证的老师，「无同学科持证教师」提示${c.confirmed ? "已不成立" : "已消除"}`] : []),
    ...(added.length > 0 ? [`已没有可接替的老师持有${added.join("、")}学科的有效教师资格证`] : []),
  ];
  return c.confirmed
    ? `教师资质有变化：按新的资质，${facts.join("；")}。本方案已由人事确认，未自动修改；如需调整，请修改方案（修改后需重新确认）。`
    : `教师资质有变化，接替建议已重新计算：${facts.join("；")}。人事指定的接替老师未改动。`;
}
