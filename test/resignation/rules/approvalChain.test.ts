import { ValidationError } from "../../../src/platform/errors";
import {
  ApprovalError,
  approversFor,
  chainForBranch,
  DEFAULT_CHAIN,
  nextStep,
  recordDecision,
  type ApprovalStep,
  type OrgSnapshot,
  type StepDecision,
} from "../../../src/resignation/rules/approvalChain";

const at = "2026-03-03T02:00:00.000Z";
const approve = (stepKey: string, byUserId = "u"): StepDecision => ({ stepKey, decision: "approved", byUserId, at });
const reject = (stepKey: string, reason = "缺少设备清单"): StepDecision => ({ stepKey, decision: "rejected", reason, byUserId: "u", at });

describe("approval chain", () => {
  it("defaults to department head → IT → HR", () => {
    expect(chainForBranch("any").map((s) => s.role)).toEqual(["department_head", "it", "hr"]);
  });

  it("lets a branch configure its own chain, and validates it", () => {
    const short: ApprovalStep[] = [{ key: "hr", role: "hr", label: "人事", duties: [] }];
    expect(chainForBranch("b2", { perBranch: { b2: short } })).toBe(short);
    expect(chainForBranch("b1", { perBranch: { b2: short } })).toBe(DEFAULT_CHAIN);
    expect(chainForBranch("b1", { default: short })).toBe(short);
    expect(() => chainForBranch("b", { default: [] })).toThrow(ValidationError);
    expect(() => chainForBranch("b", { default: [short[0], short[0]] })).toThrow(/重复/);
    expect(() => chainForBranch("b", { default: [{ ...short[0], role: "ceo" as never }] })).toThrow(/未知的审批角色/);
    expect(() => chainForBranch("b", { default: [{ ...short[0], key: "" }] })).toThrow(/缺少标识/);
  });

  it("walks the steps in order", () => {
    expect(nextStep(DEFAULT_CHAIN, [])).toMatchObject({ status: "pending", index: 0, step: { key: "department_head" } });
    expect(nextStep(DEFAULT_CHAIN, [approve("department_head")])).toMatchObject({ index: 1, step: { key: "it" } });
    expect(nextStep(DEFAULT_CHAIN, [approve("department_head"), approve("it"), approve("hr")])).toEqual({ status: "complete" });
  });

  it("a rejection returns to that step with its reason; a later approval clears it", () => {
    const returned = nextStep(DEFAULT_CHAIN, [approve("department_head"), reject("it")]);
    expect(returned).toMatchObject({ status: "pending", step: { key: "it" }, returned: { reason: "缺少设备清单" } });
    const resolved = nextStep(DEFAULT_CHAIN, [approve("department_head"), reject("it"), approve("it")]);
    expect(resolved).toMatchObject({ step: { key: "hr" } });
    expect(resolved).not.toHaveProperty("returned");
  });

  describe("recordDecision", () => {
    it("accepts the current step's approver and reports completion", () => {
      let decisions: StepDecision[] = [];
      for (const key of ["department_head", "it"]) {
        const r = recordDecision(DEFAULT_CHAIN, decisions, approve(key, "boss"), ["boss"]);
        expect(r.chainComplete).toBe(false);
        decisions = r.decisions;
      }
      const last = recordDecision(DEFAULT_CHAIN, decisions, approve("hr", "boss"), ["boss"]);
      expect(last).toMatchObject({ chainComplete: true, next: { status: "complete" } });
    });

    it("refuses a decision for another step", () => {
      expect(() => recordDecision(DEFAULT_CHAIN, [], approve("hr", "boss"), ["boss"])).toThrow(/当前待审批环节是“部门负责人”/);
    });

    it("refuses someone who is not the step's approver", () => {
      expect(() => recordDecision(DEFAULT_CHAIN, [], approve("department_head", "mallory"), ["boss"])).toThrow(
        expect.objectContaining({ status: 403 }),
      );
    });

    it("refuses a rejection without a reason", () => {
      const r = { ...reject("department_head", " "), byUserId: "boss" };
      expect(() => recordDecision(DEFAULT_CHAIN, [], r, ["boss"])).toThrow(/原因/);
    });

    it("refuses decisions after completion", () => {
      const done = ["department_head", "it", "hr"].map((k) => approve(k, "boss"));
      expect(() => recordDecision(DEFAULT_CHAIN, done, approve("hr", "boss"), ["boss"])).toThrow(ApprovalError);
    });
  });

  describe("approversFor", () => {
    const org: OrgSnapshot = {
      departments: [
        { id: "root", parentId: null, leaderUserIds: ["ceo"] },
        { id: "b1", parentId: "root", leaderUserIds: ["principal"] },
        { id: "b1-math", parentId: "b1", leaderUserIds: ["math-lead", "math-lead-2"] },
        { id: "b1-art", parentId: "b1", leaderUserIds: [] },
        { id: "loop-a", parentId: "loop-b", leaderUserIds: [] },
        { id: "loop-b", parentId: "loop-a", leaderUserIds: [] },
      ],
      roleHolders: { b1: { it: ["it-zhao"], hr: ["hr-wang", "hr-li"] }, b2: {} },
    };
    const [head, itStep, hr] = DEFAULT_CHAIN;

    it("department head = leaders of the main department", () => {
      expect(approversFor(head, { userId: "teacher", mainDepartmentId: "b1-math", branchId: "b1" }, org)).toEqual([
        "math-lead",
        "math-lead-2",
      ]);
    });

    it("goes up when the department has no leader or the leaver leads it alone", () => {
      expect(approversFor(head, { userId: "teacher", mainDepartmentId: "b1-art", branchId: "b1" }, org)).toEqual(["principal"]);
      expect(approversFor(head, { userId: "principal", mainDepartmentId: "b1", branchId: "b1" }, org)).toEqual(["ceo"]);
      // A co-leader still decides for the other leader.
      expect(approversFor(head, { userId: "math-lead", mainDepartmentId: "b1-math", branchId: "b1" }, org)).toEqual(["math-lead-2"]);
    });

    it("fails clearly with no leader anywhere, an unknown department, or a cycle", () => {
      expect(() => approversFor(head, { userId: "ceo", mainDepartmentId: "root", branchId: "b1" }, org)).toThrow(/部门负责人/);
      expect(() => approversFor(head, { userId: "x", mainDepartmentId: "nope", branchId: "b1" }, org)).toThrow(/找不到离职人员所在部门/);
      expect(() => approversFor(head, { userId: "x", mainDepartmentId: "loop-a", branchId: "b1" }, org)).toThrow(ApprovalError);
    });

    it("IT and HR come from the branch's role holders, never the leaver", () => {
      expect(approversFor(itStep, { userId: "t", mainDepartmentId: "b1-math", branchId: "b1" }, org)).toEqual(["it-zhao"]);
      expect(approversFor(hr, { userId: "hr-wang", mainDepartmentId: "b1", branchId: "b1" }, org)).toEqual(["hr-li"]);
      expect(() => approversFor(itStep, { userId: "it-zhao", mainDepartmentId: "b1", branchId: "b1" }, org)).toThrow(/未配置“IT”审批人/);
      expect(() => approversFor(hr, { userId: "t", mainDepartmentId: "b1", branchId: "b2" }, org)).toThrow(ApprovalError);
      expect(() => approversFor(hr, { userId: "t", mainDepartmentId: "b1", branchId: "b9" }, org)).toThrow(ApprovalError);
    });
  });
});
