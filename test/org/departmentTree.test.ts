import { buildDepartmentTree } from "../../src/org/directory/departmentTree";

describe("buildDepartmentTree", () => {
  it("gives each department its root path and a kind by depth", () => {
    const { nodes, orphans } = buildDepartmentTree([
      { id: 5, name: "数学组", parentid: 3 },
      { id: 1, name: "总部", parentid: 0 },
      { id: 2, name: "华东区", parentid: 1 },
      { id: 3, name: "徐汇校区", parentid: 2, department_leader: ["head-a"] },
    ]);
    expect(orphans).toEqual([]);
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(byId[1]).toMatchObject({ path: [1], kind: "hq", parentId: null });
    expect(byId[2]).toMatchObject({ path: [1, 2], kind: "region" });
    expect(byId[3]).toMatchObject({ path: [1, 2, 3], kind: "campus", leaderUserids: ["head-a"] });
    expect(byId[5]).toMatchObject({ path: [1, 2, 3, 5], kind: "department", parentId: 3 });
  });

  it("drops departments with a missing or cyclic parent chain instead of guessing", () => {
    const { nodes, orphans } = buildDepartmentTree([
      { id: 1, name: "总部", parentid: 0 },
      { id: 7, name: "孤儿", parentid: 99 },
      { id: 8, name: "环A", parentid: 9 },
      { id: 9, name: "环B", parentid: 8 },
    ]);
    expect(nodes.map((n) => n.id)).toEqual([1]);
    expect(orphans.sort()).toEqual([7, 8, 9]);
  });
});
