import type { Actor } from "../../src/org/policies/actor";
import { authorize, can } from "../../src/org/policies/authorize";
import type { Resource } from "../../src/org/policies/resources";
import { AuthorizationError } from "../../src/platform/errors";

// HQ 1 → region 2 → campus A 3 (dept 5), campus B 4 (dept 6)
const campusATeacher = [[1, 2, 3, 5]];
const campusBTeacher = [[1, 2, 4, 6]];

const hq: Actor = { userid: "boss", grants: [{ role: "hq_admin", departmentId: null }] };
const hrA: Actor = { userid: "hr-a", grants: [{ role: "hr", departmentId: 3 }] };
const hrRegion: Actor = { userid: "hr-r", grants: [{ role: "hr", departmentId: 2 }] };
const headA: Actor = { userid: "head-a", grants: [{ role: "campus_head", departmentId: 3 }] };
const itStaff: Actor = { userid: "it", grants: [{ role: "it", departmentId: null }] };
const teacher: Actor = { userid: "li", grants: [{ role: "employee", departmentId: null }] };
const successor: Actor = { userid: "wang", grants: [{ role: "employee", departmentId: null }] };

const conversation = (paths: number[][], externalUserId?: string): Resource => ({
  kind: "conversation",
  staffUserid: "li",
  departmentPaths: paths,
  inheritedBy: [{ successorUserid: "wang", externalUserIds: ["wmParent1"] }],
  externalUserId,
});

describe("authorize", () => {
  it("lets HQ do everything", () => {
    expect(can(hq, "export", conversation(campusBTeacher))).toBe(true);
    expect(can(hq, "manage", { kind: "roles" })).toBe(true);
  });

  it("confines HR to their subtree: HR of campus A cannot read campus B", () => {
    expect(can(hrA, "read", conversation(campusATeacher))).toBe(true);
    expect(can(hrA, "export", conversation(campusATeacher))).toBe(true);
    expect(can(hrA, "read", conversation(campusBTeacher))).toBe(false);
    expect(() => authorize(hrA, "read", conversation(campusBTeacher))).toThrow(AuthorizationError);
    expect(can(hrRegion, "read", conversation(campusBTeacher))).toBe(true);
  });

  it("lets campus heads read but not export their campus archive", () => {
    expect(can(headA, "read", conversation(campusATeacher))).toBe(true);
    expect(can(headA, "export", conversation(campusATeacher))).toBe(false);
    expect(can(headA, "read", conversation(campusBTeacher))).toBe(false);
  });

  it("never lets an employee read an archive, not even their own", () => {
    expect(can(teacher, "read", conversation(campusATeacher))).toBe(false);
    expect(can(teacher, "read", conversation(campusATeacher, "wmParent1"))).toBe(false);
    expect(can(itStaff, "read", conversation(campusATeacher))).toBe(false);
  });

  it("lets a successor read only the threads of parents handed to them", () => {
    expect(can(successor, "read", conversation(campusATeacher, "wmParent1"))).toBe(true);
    expect(can(successor, "read", conversation(campusATeacher, "wmParent2"))).toBe(false);
    expect(can(successor, "read", conversation(campusATeacher))).toBe(false);
    expect(can(successor, "export", conversation(campusATeacher, "wmParent1"))).toBe(true);
  });

  it("shows an employee only their own case and lets approvers read what is assigned to them", () => {
    const own: Resource = { kind: "case", employeeUserid: "li", departmentPaths: campusATeacher, approverUserids: ["head-a", "it"] };
    const other: Resource = { ...own, employeeUserid: "zhao" };
    expect(can(teacher, "read", own)).toBe(true);
    expect(can(teacher, "read", other)).toBe(false);
    expect(can(teacher, "approve", own)).toBe(false);
    expect(can(itStaff, "read", own)).toBe(true);
    expect(can(itStaff, "approve", own)).toBe(true);
    expect(can(headA, "approve", own)).toBe(true);
    expect(can(hrA, "approve", own)).toBe(false);
    expect(can(hrA, "update", own)).toBe(true);
    expect(can(hrA, "update", { ...own, departmentPaths: campusBTeacher })).toBe(false);
  });

  it("lets IT freeze any account and HR only within its subtree", () => {
    const staffB: Resource = { kind: "staff", userid: "zhao", departmentPaths: campusBTeacher };
    expect(can(itStaff, "freeze", staffB)).toBe(true);
    expect(can(hrA, "freeze", staffB)).toBe(false);
    expect(can(hrRegion, "freeze", staffB)).toBe(true);
    expect(can(teacher, "freeze", staffB)).toBe(false);
  });

  it("reserves role management to HQ", () => {
    expect(can(hrA, "manage", { kind: "roles" })).toBe(false);
    expect(can(hrA, "update", { kind: "branch", departmentPath: [1, 2, 3] })).toBe(true);
    expect(can(hrA, "update", { kind: "branch", departmentPath: [1, 2, 4] })).toBe(false);
    expect(can(headA, "read", { kind: "branch", departmentPath: [1, 2, 3, 5] })).toBe(true);
    expect(can(headA, "update", { kind: "branch", departmentPath: [1, 2, 3] })).toBe(false);
  });
});
