import {
  allowedEvents,
  EVENTS,
  IllegalTransition,
  initialState,
  STATE_LABELS,
  STATES,
  TERMINAL_STATES,
  transition,
  type CaseEvent,
  type CaseState,
  type TransitionContext,
} from "../../../src/resignation/rules/caseStateMachine";

// An independent copy of the intended table: [from, event, context, expected]. Every pair not listed must throw.
type Row = [CaseState, CaseEvent, TransitionContext, CaseState];
const AFTER_SIGNING: CaseState[] = ["notice_signed", "in_approval", "step_returned", "approved", "handover_in_progress", "handover_done"];
const EXPECTED: Row[] = [
  ["draft", "start", {}, "notice_pending_signature"],
  ["draft", "withdraw_request", {}, "withdrawn"],
  ["registered_by_hr", "confirm_registration", {}, "notice_pending_signature"],
  ["registered_by_hr", "withdraw_request", {}, "withdrawn"],
  ["notice_pending_signature", "sign_notice", {}, "notice_signed"],
  ["notice_pending_signature", "withdraw_request", {}, "withdrawn"],
  ["notice_signed", "submit", {}, "in_approval"],
  ["in_approval", "approve_step", { chainComplete: false }, "in_approval"],
  ["in_approval", "reject_step", { reason: "交接清单缺少学员名单" }, "step_returned"],
  ["step_returned", "resubmit_step", {}, "in_approval"],
  ["approved", "start_handover", {}, "handover_in_progress"],
  ["handover_in_progress", "handover_confirmed", {}, "handover_done"],
  ...AFTER_SIGNING.flatMap((s): Row[] => [
    [s, "withdraw_request", {}, "withdrawal_requested"],
    [s, "last_day", {}, "last_day_reached"],
  ]),
  ["withdrawal_requested", "withdraw_accept", {}, "withdrawn"],
  ["withdrawal_requested", "withdraw_decline", { resumeState: "approved" }, "approved"],
  ["withdrawal_requested", "last_day", {}, "last_day_reached"],
  ["last_day_reached", "handover_confirmed", {}, "last_day_reached"],
  ["last_day_reached", "issue_certificate", {}, "certificate_issued"],
  ["certificate_issued", "handover_confirmed", {}, "certificate_issued"],
  ["certificate_issued", "close", { handoverComplete: true }, "closed"],
];

const expectedFor = (s: CaseState, e: CaseEvent) => EXPECTED.find(([from, ev]) => from === s && ev === e);
const ALL_PAIRS = STATES.flatMap((s) => EVENTS.map((e) => [s, e] as const));

describe("resignation case state machine", () => {
  it(`covers all ${STATES.length * EVENTS.length} (state, event) pairs`, () => {
    expect(ALL_PAIRS).toHaveLength(STATES.length * EVENTS.length);
  });

  it.each(ALL_PAIRS)("%s + %s", (state, event) => {
    const row = expectedFor(state, event);
    if (row) {
      expect(transition(state, event, row[2])).toBe(row[3]);
    } else {
      let error: unknown;
      try {
        transition(state, event, { chainComplete: true, reason: "x", resumeState: "approved", handoverComplete: true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IllegalTransition);
      const illegal = error as IllegalTransition;
      expect(illegal).toMatchObject({ status: 409, code: "illegal_transition", from: state, event, reason: "not_allowed" });
      expect(illegal.message).toContain(STATE_LABELS[state]);
    }
  });

  it("allowedEvents lists exactly the table's events", () => {
    for (const s of STATES) {
      const expected = EVENTS.filter((e) => expectedFor(s, e));
      expect(allowedEvents(s)).toEqual(expected);
    }
  });

  it("terminal states accept nothing", () => {
    for (const s of TERMINAL_STATES) expect(allowedEvents(s)).toEqual([]);
  });

  it("every non-terminal state can reach a terminal state", () => {
    const reachable = (from: CaseState, seen = new Set<CaseState>()): Set<CaseState> => {
      if (seen.has(from)) return seen;
      seen.add(from);
      for (const [f, , , to] of EXPECTED) if (f === from) reachable(to, seen);
      return seen;
    };
    for (const s of STATES) {
      const r = reachable(s);
      expect(TERMINAL_STATES.some((t) => r.has(t))).toBe(true);
    }
  });

  it("starts in draft for the employee and registered_by_hr for HR", () => {
    expect(initialState("employee")).toBe("draft");
    expect(initialState("hr_registration")).toBe("registered_by_hr");
  });

  describe("guards", () => {
    it("the final approval moves the case to approved", () => {
      expect(transition("in_approval", "approve_step", { chainComplete: true })).toBe("approved");
      expect(transition("in_approval", "approve_step")).toBe("in_approval");
    });

    it("a rejection needs a reason", () => {
      expect(() => transition("in_approval", "reject_step")).toThrow(/退回原因/);
      expect(() => transition("in_approval", "reject_step", { reason: "  " })).toThrow(IllegalTransition);
    });

    it("a rejected step never stops the last day", () => {
      const returned = transition("in_approval", "reject_step", { reason: "请补充交接清单" });
      expect(transition(returned, "last_day")).toBe("last_day_reached");
    });

    it("declining a withdrawal returns to where the case was, and only there", () => {
      for (const s of AFTER_SIGNING) expect(transition("withdrawal_requested", "withdraw_decline", { resumeState: s })).toBe(s);
      for (const bad of [undefined, "draft", "closed", "withdrawal_requested", "last_day_reached"] as const) {
        expect(() => transition("withdrawal_requested", "withdraw_decline", { resumeState: bad as CaseState | undefined })).toThrow(
          expect.objectContaining({ reason: "resume_state_invalid" }),
        );
      }
    });

    it("closing with the handover open needs a written reason", () => {
      expect(() => transition("certificate_issued", "close")).toThrow(/结案说明/);
      expect(transition("certificate_issued", "close", { reason: "员工拒不交接，已另行主张赔偿" })).toBe("closed");
    });

    it("the certificate is issued even when the handover is unfinished", () => {
      expect(transition("last_day_reached", "issue_certificate", { handoverComplete: false })).toBe("certificate_issued");
    });
  });

  it("walks a whole case end to end", () => {
    const path: [CaseEvent, TransitionContext?][] = [
      ["start"],
      ["sign_notice"],
      ["submit"],
      ["approve_step"],
      ["reject_step", { reason: "设备未登记" }],
      ["resubmit_step"],
      ["approve_step"],
      ["approve_step", { chainComplete: true }],
      ["start_handover"],
      ["withdraw_request"],
      ["withdraw_decline", { resumeState: "handover_in_progress" }],
      ["handover_confirmed"],
      ["last_day"],
      ["issue_certificate"],
      ["close", { handoverComplete: true }],
    ];
    let state = initialState("employee");
    for (const [event, ctx] of path) state = transition(state, event, ctx);
    expect(state).toBe("closed");
  });
});
