import { chooseSuccessor, successorRefusal, successorRefusalText } from "../../../src/handover/rules/successor";
import { planReassignment } from "../../../src/handover/rules/reassignmentPlan";
import { ReassignmentContext, Teacher } from "../../../src/handover/rules/roster";

const teacher = (userId: string, patch: Partial<Teacher> = {}): Teacher => ({
  userId,
  campusId: "c1",
  subjects: ["数学"],
  classes: [],
  status: "active",
  parentCount: 0,
  ...patch,
});

const leaver = teacher("t_leaver", { classes: [{ classId: "3-2", role: "subject_teacher" }], parentCount: 120 });
const headTeacher = teacher("t_head", { subjects: ["语文"], classes: [{ classId: "3-2", role: "head_teacher" }], parentCount: 300 });
const englishTeacher = teacher("t_eng", { subjects: ["英语"], classes: [{ classId: "3-2", role: "subject_teacher" }], parentCount: 10 });
const mathA = teacher("t_math_a", { parentCount: 50 });
const mathB = teacher("t_math_b", { parentCount: 20 });
const mathOtherCampus = teacher("t_math_far", { campusId: "c2", parentCount: 0 });
const campusHead = teacher("t_principal", { subjects: [], parentCount: 500 });
const roster = [leaver, headTeacher, englishTeacher, mathA, mathB, mathOtherCampus, campusHead];
const ctx = (patch: Partial<ReassignmentContext> = {}): ReassignmentContext => ({
  leaver,
  roster,
  campusHeads: { c1: "t_principal" },
  ...patch,
});

describe("chooseSuccessor", () => {
  test.each<[string, Partial<ReassignmentContext>, string[], string | null, string]>([
    ["HR's explicit choice wins", { hrChoices: { p1: "t_math_a" } }, ["3-2"], "t_math_a", "hr_choice"],
    ["the class head teacher before other co-teachers", {}, ["3-2"], "t_head", "class_co_teacher"],
    ["another co-teacher when the head teacher is leaving too", { roster: roster.map((t) => (t.userId === "t_head" ? { ...t, status: "leaving" as const } : t)) }, ["3-2"], "t_eng", "class_co_teacher"],
    ["least-loaded same-campus same-subject teacher when the class has no co-teacher", {}, ["5-1"], "t_math_b", "same_subject_least_loaded"],
    ["load override is honoured", { load: { t_math_b: 60 } }, ["5-1"], "t_math_a", "same_subject_least_loaded"],
    ["campus head when no peer teaches the subject", { roster: [leaver, campusHead, mathOtherCampus] }, ["5-1"], "t_principal", "campus_head"],
    ["nobody when the campus head is the leaver", { roster: [leaver], campusHeads: { c1: "t_leaver" } }, ["5-1"], null, "no_candidate"],
  ])("%s", (_name, patch, classIds, expected, reason) => {
    const choice = chooseSuccessor({ id: "p1", classIds }, ctx(patch));
    expect(choice.successorUserId).toBe(expected);
    expect(choice.reason).toBe(reason);
  });

  test.each([
    ["the leaver", "t_leaver"],
    ["someone who is also leaving", "t_gone"],
    ["someone not on the roster", "t_unknown"],
  ])("HR's choice of %s is rejected and reported", (_name, pick) => {
    const gone = teacher("t_gone", { status: "left" });
    const choice = chooseSuccessor({ id: "p1", classIds: ["3-2"] }, ctx({ roster: [...roster, gone], hrChoices: { p1: pick } }));
    expect(choice).toEqual({ successorUserId: "t_head", reason: "class_co_teacher", hrChoiceRejected: pick });
  });

  test("equal loads break ties by userId, whatever the roster order", () => {
    const a = teacher("t_a", { parentCount: 5 });
    const b = teacher("t_b", { parentCount: 5 });
    for (const order of [[a, b], [b, a]]) {
      expect(chooseSuccessor({ id: "p", classIds: [] }, ctx({ roster: [leaver, ...order] })).successorUserId).toBe("t_a");
    }
  });
});

describe("planReassignment", () => {
  test("balances parents across same-subject peers as load grows", () => {
    const peers = [teacher("t_x", { parentCount: 10 }), teacher("t_y", { parentCount: 0 }), teacher("t_z", { parentCount: 4 })];
    const parents = Array.from({ length: 30 }, (_, i) => ({ id: `p${String(i).padStart(2, "0")}`, classIds: ["none"] }));
    const plan = planReassignment(leaver, parents, [], { roster: [leaver, ...peers], campusHeads: {} });
    expect(plan.unassignedParents).toEqual([]);
    // 44 parents in total over three teachers → 14/15/15 after balancing.
    const loads = Object.values(plan.perSuccessor).map((s) => s.loadAfter).sort();
    expect(loads).toEqual([14, 15, 15]);
    expect(plan.perSuccessor["t_y"]!.parents).toBe(15);
    expect(plan.parents.every((a) => a.reason === "same_subject_least_loaded")).toBe(true);
  });

  test("mixes reasons, counts per successor, groups and unassigned", () => {
    const plan = planReassignment(
      leaver,
      [
        { id: "p1", classIds: ["3-2"] },
        { id: "p2", classIds: ["9-9"] },
        { id: "p3", classIds: ["9-9"] },
        { id: "p1", classIds: ["3-2"] },
      ],
      [{ id: "chat1", classIds: ["3-2"] }],
      { roster, campusHeads: { c1: "t_principal" }, hrChoices: { p3: "t_math_a" } },
    );
    expect(plan.parents).toEqual([
      { id: "p1", successorUserId: "t_head", reason: "class_co_teacher" },
      { id: "p2", successorUserId: "t_math_b", reason: "same_subject_least_loaded" },
      { id: "p3", successorUserId: "t_math_a", reason: "hr_choice" },
    ]);
    expect(plan.groups).toEqual([{ id: "chat1", successorUserId: "t_head", reason: "class_co_teacher" }]);
    expect(plan.perSuccessor).toEqual({
      t_head: { parents: 1, groups: 1, loadAfter: 301 },
      t_math_b: { parents: 1, groups: 0, loadAfter: 21 },
      t_math_a: { parents: 1, groups: 0, loadAfter: 51 },
    });
  });

  test("is independent of input order", () => {
    const parents = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, classIds: i % 2 ? ["3-2"] : ["x"] }));
    const a = planReassignment(leaver, parents, [], { roster, campusHeads: {} });
    const b = planReassignment(leaver, [...parents].reverse(), [], { roster, campusHeads: {} });
    expect(b).toEqual(a);
  });

  test("unassignable parents and groups are listed for HR", () => {
    const plan = planReassignment(leaver, [{ id: "p1", classIds: [] }], [{ id: "g1", classIds: [] }], { roster: [leaver], campusHeads: {} });
    expect(plan).toMatchObject({ unassignedParents: ["p1"], unassignedGroups: ["g1"], parents: [], groups: [] });
  });
});

describe("successorRefusal", () => {
  const t = (userId: string, status: Teacher["status"] = "active"): Teacher => ({ userId, campusId: "2", subjects: ["数学"], classes: [], status, parentCount: 0 });
  const ctx = { leaver: t("leaver", "leaving"), roster: [t("ok"), t("gone", "left"), t("going", "leaving")] };

  it("names why HR's pick cannot inherit, and passes an eligible one", () => {
    expect(successorRefusal("ok", ctx)).toBeUndefined();
    expect(successorRefusal("leaver", ctx)).toBe("is_leaver");
    expect(successorRefusal("other_campus", ctx)).toBe("not_on_roster");
    expect(successorRefusal("gone", ctx)).toBe("left");
    expect(successorRefusal("going", ctx)).toBe("leaving");
    expect(successorRefusalText("not_on_roster", "何军", "李静")).toBe("何军不在李静所在校区，也不教这些家长孩子的班级，不能接替");
  });
});

describe("successor choice prefers a teacher certified for the leaver's subject", () => {
  const certifiedA = teacher("t_math_a", { parentCount: 50, certificateSubjects: ["数学"] });
  // Teaches physics, holds a 数学 certificate: certified for the leaver's subject although not teaching it now.
  const physicsCertified = teacher("t_phys", { subjects: ["物理"], parentCount: 5, certificateSubjects: ["数学 "] });

  test("the certified peer wins over a less loaded uncertified one", () => {
    const choice = chooseSuccessor({ id: "p1", classIds: ["5-1"] }, ctx({ roster: [leaver, certifiedA, mathB, campusHead] }));
    expect(choice).toEqual({ successorUserId: "t_math_a", reason: "qualified_least_loaded" });
  });

  test("a teacher certified for the subject who teaches another one is a candidate, and the least loaded certified wins", () => {
    const choice = chooseSuccessor({ id: "p1", classIds: ["5-1"] }, ctx({ roster: [leaver, certifiedA, mathB, physicsCertified, campusHead] }));
    expect(choice).toEqual({ successorUserId: "t_phys", reason: "qualified_least_loaded" });
  });

  test("among co-teachers of the same rank, the certified one comes first", () => {
    const engCertified = teacher("t_eng2", { subjects: ["英语"], classes: [{ classId: "3-2", role: "subject_teacher" }], parentCount: 90, certificateSubjects: ["数学"] });
    const choice = chooseSuccessor({ id: "p1", classIds: ["3-2"] }, ctx({ roster: [leaver, englishTeacher, engCertified, campusHead] }));
    expect(choice).toEqual({ successorUserId: "t_eng2", reason: "class_co_teacher" });
  });

  test("the plan says which of the leaver's subjects no eligible teacher is certified for", () => {
    const none = planReassignment(leaver, [{ id: "p1", classIds: ["5-1"] }], [], { roster: [leaver, mathA, mathB], campusHeads: {} });
    expect(none.subjectsWithoutQualifiedTeacher).toEqual(["数学"]);
    expect(none.parents).toEqual([{ id: "p1", successorUserId: "t_math_b", reason: "same_subject_least_loaded" }]);
    // A certified teacher who is leaving too does not count.
    const leavingCertified = { ...certifiedA, status: "leaving" as const };
    expect(planReassignment(leaver, [], [], { roster: [leaver, leavingCertified, mathB], campusHeads: {} }).subjectsWithoutQualifiedTeacher).toEqual(["数学"]);
    expect(planReassignment(leaver, [], [], { roster: [leaver, certifiedA, mathB], campusHeads: {} }).subjectsWithoutQualifiedTeacher).toEqual([]);
  });
});
