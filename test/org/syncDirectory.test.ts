import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import type { DirectoryMember, DirectorySource } from "../../src/org/directory/directorySource";
import type { DepartmentInput } from "../../src/org/directory/departmentTree";
import { StaffDirectory } from "../../src/org/directory/staffDirectory";
import { DirectorySyncRefused, syncDirectory } from "../../src/org/directory/syncDirectory";
import { createTestDatabase } from "../support/testDatabase";

/** An in-memory directory: the port's simplest adapter, with WeCom's semantics (direct members only, null for a deleted userid). */
class StaticDirectory implements DirectorySource {
  constructor(
    public departments: DepartmentInput[],
    public members: DirectoryMember[],
    public failMembers = false,
  ) {}
  async listDepartments() {
    return this.departments;
  }
  async listMembers(departmentId: number) {
    if (this.failMembers) throw new Error("WeCom unreachable");
    return this.members.filter((m) => m.department.includes(departmentId));
  }
  async findMember(userid: string) {
    return this.members.find((m) => m.userid === userid) ?? null;
  }
}

describe("directory sync", () => {
  let db: Database;
  const clock = new TestClock();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const departments: DepartmentInput[] = [
    { id: 1, name: "总部", parentid: 0 },
    { id: 2, name: "华东区", parentid: 1 },
    { id: 3, name: "徐汇校区", parentid: 2, department_leader: ["head-a"] },
    { id: 4, name: "浦东校区", parentid: 2 },
  ];
  const members: DirectoryMember[] = [
    { userid: "li", name: "李老师", department: [3], is_leader_in_dept: [0], status: 1, position: "班主任" },
    { userid: "head-a", name: "张校长", department: [3], is_leader_in_dept: [1], status: 1 },
    { userid: "zhao", name: "赵老师", department: [4], status: 1 },
  ];

  it("mirrors departments with paths and members with leader flags", async () => {
    const report = await syncDirectory(db.dataSource, new StaticDirectory(departments, members), clock, silentLogger());
    expect(report).toMatchObject({ departments: 4, members: 3, membersMarkedLeft: 0 });
    const directory = new StaffDirectory(db.dataSource.manager);
    expect(await directory.departmentPaths("li")).toEqual([[1, 2, 3]]);
    expect((await directory.find("head-a"))?.departmentIds).toEqual([3]);
    const [head] = await db.dataSource.query(`SELECT leader_in_departments FROM staff WHERE userid = 'head-a'`);
    expect(head.leader_in_departments).toEqual([3]);
  });

  it("marks members missing from WeCom as left and keeps their record", async () => {
    const report = await syncDirectory(
      db.dataSource,
      new StaticDirectory(departments, members.filter((m) => m.userid !== "zhao")),
      clock,
      silentLogger(),
    );
    expect(report.membersMarkedLeft).toBe(1);
    const zhao = await new StaffDirectory(db.dataSource.manager).find("zhao");
    expect(zhao?.status).toBe(5);
    expect(zhao?.leftAt).not.toBeNull();
  });

  it("changes nothing when the read fails half-way", async () => {
    await expect(syncDirectory(db.dataSource, new StaticDirectory([], []), clock, silentLogger())).rejects.toThrow(
      DirectorySyncRefused,
    );
    const source = new StaticDirectory(departments, [], true);
    await expect(syncDirectory(db.dataSource, source, clock, silentLogger())).rejects.toThrow("WeCom unreachable");
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM staff WHERE status = 1`);
    expect(count).toBe(2);
  });

  it("refuses a reply in which most of a large company vanishes", async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ userid: `t${i}`, name: `老师${i}`, department: [3], status: 1 }));
    await syncDirectory(db.dataSource, new StaticDirectory(departments, [...members, ...many]), clock, silentLogger());
    await expect(
      syncDirectory(db.dataSource, new StaticDirectory(departments, members.slice(0, 2)), clock, silentLogger()),
    ).rejects.toThrow(/would mark 31 of 33 active/);
  });
});
