import type { CaseStatus, ChecklistItemKind, ChecklistOwner, ChecklistRole, ReasonCategory, TimelineKind } from "../../miniprogram/services/types";
import { REASON_CATEGORIES as miniProgramCategories } from "../../miniprogram/pages/resign/start/validate";
import { VISIBLE } from "../../src/resignation/presenters/timelinePresenter";
import type { ChecklistRole as ServerChecklistRole } from "../../src/resignation/commands/checklist";
import { STATES, type CaseState } from "../../src/resignation/rules/caseStateMachine";
import type { ItemKind } from "../../src/resignation/rules/handoverChecklist";
import { REASON_CATEGORIES as serverCategories, type ReasonCategory as ServerReasonCategory } from "../../src/resignation/rules/noticeDocument";
import type { ItemOwner } from "../../src/resignation/store/checklistStore";

/**
 * The contract's enumerations (miniprogram/services/types.ts) equal the server's own, both ways:
 * the presenters' return types already refuse a value the contract lacks; these refuse a contract
 * value the server never sends (an invented status like "approving" or a checklist kind "laptop").
 * Checked by `npm run typecheck`: a mismatch makes `true` unassignable to `false`.
 */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameStates: Equal<CaseStatus, CaseState> = true;
const sameKinds: Equal<ChecklistItemKind, ItemKind> = true;
const sameOwners: Equal<ChecklistOwner, ItemOwner> = true;
const sameRoles: Equal<ChecklistRole, ServerChecklistRole> = true;
const sameReasons: Equal<ReasonCategory, ServerReasonCategory> = true;

/** Every timeline kind the contract names, listed once (a missing or extra key does not compile). */
const TIMELINE_KINDS: Record<TimelineKind, true> = {
  created: true,
  reminder: true,
  notice_signed: true,
  approval: true,
  transfer: true,
  withdrawn: true,
  last_day: true,
  settlement: true,
  certificate_issued: true,
  handover: true,
};

describe("mini-program ⇄ server contract", () => {
  it("offers exactly the reason categories the server accepts, with the same labels", () => {
    expect(Object.fromEntries(miniProgramCategories.map((c) => [c.value, c.label]))).toEqual(serverCategories);
  });

  it("names the server's enumerations exactly (checked by the type checker; this keeps the checks referenced)", () => {
    expect([sameStates, sameKinds, sameOwners, sameRoles, sameReasons]).toEqual([true, true, true, true, true]);
    expect(STATES).toHaveLength(14);
  });

  it("lists exactly the timeline kinds the server's timeline presenter can send", () => {
    expect(new Set(Object.values(VISIBLE).map((v) => v.kind))).toEqual(new Set(Object.keys(TIMELINE_KINDS)));
  });
});
