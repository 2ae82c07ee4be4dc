export interface DepartmentInput {
  id: number;
  name: string;
  parentid: number;
  order?: number;
  department_leader?: string[];
}

export type BranchKind = "hq" | "region" | "campus" | "department";

export interface DepartmentNode {
  id: number;
  name: string;
  parentId: number | null;
  path: number[];
  kind: BranchKind;
  leaderUserids: string[];
  order: number;
}

/** Default reading of a chain's tree by depth: HQ → region → campus → department. */
const kindByDepth: BranchKind[] = ["hq", "region", "campus"];

/**
 * Turn WeCom's flat department list into rooted paths. Departments whose
 * parent chain is broken or cyclic (a partial or hostile reply) are dropped
 * and reported rather than given a wrong path.
 */
export function buildDepartmentTree(departments: DepartmentInput[]): { nodes: DepartmentNode[]; orphans: number[] } {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const paths = new Map<number, number[] | null>();

  const pathOf = (id: number, seen: Set<number>): number[] | null => {
    if (paths.has(id)) return paths.get(id)!;
    const dept = byId.get(id);
    if (!dept || seen.has(id)) return null;
    seen.add(id);
    const isRoot = dept.parentid === 0 || dept.parentid === dept.id;
    const parentPath = isRoot ? [] : pathOf(dept.parentid, seen);
    const path = parentPath === null ? null : [...parentPath, id];
    paths.set(id, path);
    return path;
  };

  const nodes: DepartmentNode[] = [];
  const orphans: number[] = [];
  for (const d of departments) {
    const path = pathOf(d.id, new Set());
    if (!path) {
      orphans.push(d.id);
      continue;
    }
    nodes.push({
      id: d.id,
      name: d.name,
      parentId: path.length > 1 ? path[path.length - 2] : null,
      path,
      kind: kindByDepth[path.length - 1] ?? "department",
      leaderUserids: d.department_leader ?? [],
      order: d.order ?? 0,
    });
  }
  return { nodes, orphans };
}
