import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Actor, Role } from "../../src/org/policies/actor";
import { can, scope } from "../../src/org/policies/authorize";
import type { Action, Resource } from "../../src/org/policies/resources";
import { scopeCoversPath } from "../../src/org/policies/scope";

/**
 * The README's role/action table is the specification: each row is checked
 * against can() on resources in the grant's own campus and in another, and
 * against scope() (what a list shows) for the same action.
 *
 * Company root 1 → campus 2 (the grant's campus) and campus 3 (another).
 */
const OWN_CAMPUS = [1, 2];
const OTHER_CAMPUS = [1, 3];

type Column = "read" | "change" | "approve" | "freeze" | "dismiss" | "export";
const COLUMNS: Column[] = ["read", "change", "approve", "freeze", "dismiss", "export"];
type Kind = Resource["kind"];

/** The resource kinds each column speaks about (README legend), and the action it is. */
const KINDS: Record<Column, { action: Action; kinds: Kind[] }> = {
  read: { action: "read", kinds: ["case", "alert", "conversation", "staff", "branch", "alumni"] },
  change: { action: "update", kinds: ["case", "staff", "branch", "alumni", "alert"] },
  approve: { action: "approve", kinds: ["case"] },
  freeze: { action: "freeze", kinds: ["alert", "staff"] },
  dismiss: { action: "dismiss", kinds: ["alert"] },
  export: { action: "export", kinds: ["conversation"] },
};
/** Person-level rules everyone has, whatever the row: their own case and staff record ("own")… */
const OWN_KINDS: Partial<Record<Column, Kind[]>> = { read: ["case", "staff"], change: ["case"] };
/** …and, as an approver, the step assigned to them and the case it belongs to ("assigned"). */
const ASSIGNED_KINDS: Partial<Record<Column, Kind[]>> = { read: ["case"], approve: ["case"] };

function resource(kind: Kind, path: number[], subject = "someone", approver = "approver"): Resource {
  const departmentPaths = [path];
  switch (kind) {
    case "case":
      return { kind, employeeUserid: subject, departmentPaths, approverUserids: [approver] };
    case "staff":
      return { kind, userid: subject, departmentPaths };
    case "conversation":
      return { kind, staffUserid: subject, departmentPaths, inheritedBy: [], externalUserId: "wm_parent" };
    case "alert":
      return { kind, staffUserid: subject, departmentPaths };
    case "alumni":
      return { kind, userid: subject, departmentPaths };
    case "branch":
      return { kind, departmentPath: path };
    case "roles":
    case "company_settings":
      return { kind };
  }
}

interface Row {
  line: string;
  role: Role;
  level: string;
  cells: Record<Column, string>;
}

function readTable(): Row[] {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  const start = readme.indexOf("| role | granted at |");
  const lines = readme.slice(start).split("\n");
  const rows: Row[] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split("|").slice(1, -1).map((c) => c.trim().replace(/`/g, ""));
    rows.push({ line, role: cells[0] as Role, level: cells[1]!, cells: Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i + 2]!])) as Record<Column, string> });
  }
  return rows;
}

function actorFor(row: Row): Actor {
  const departmentId = row.role === "hq_admin" || row.level === "company" || row.level === "—" ? null : row.level === "HQ" ? 1 : 2;
  return { userid: "actor", grants: [{ role: row.role, departmentId }] };
}

const rows = readTable();

describe("README role/action table", () => {
  it("has the six rows of the access model", () => {
    expect(rows.map((r) => `${r.role}@${r.level}`)).toEqual(["hq_admin@company", "hr@HQ", "hr@campus", "campus_head@campus", "it@company", "employee@—"]);
  });

  it.each(rows.map((r) => [r.line, r] as const))("%s", (_line, row) => {
    const actor = actorFor(row);
    for (const column of COLUMNS) {
      const cell = row.cells[column];
      const { action, kinds } = KINDS[column];
      for (const kind of kinds) {
        // "accounts: all" speaks of staff records only; every other kind is then "—".
        const value = cell.startsWith("accounts: ") ? (kind === "staff" ? cell.slice("accounts: ".length) : "—") : cell;
        const role = value === "all" || value === "campus";
        const expected = {
          own: role,
          other: value === "all",
          ownRecord: role || (OWN_KINDS[column] ?? []).includes(kind),
          assigned: role || (ASSIGNED_KINDS[column] ?? []).includes(kind),
        };
        // "own" and "assigned" cells name the only access the role has: the person-level rules.
        if (value === "own") expect({ column, kind, person: (OWN_KINDS[column] ?? []).length > 0 }).toEqual({ column, kind, person: true });
        if (value === "assigned") expect({ column, kind, person: (ASSIGNED_KINDS[column] ?? []).length > 0 }).toEqual({ column, kind, person: true });
        const got = {
          own: can(actor, action, resource(kind, OWN_CAMPUS)),
          other: can(actor, action, resource(kind, OTHER_CAMPUS)),
          ownRecord: can(actor, action, resource(kind, OWN_CAMPUS, actor.userid)),
          assigned: can(actor, action, resource(kind, OWN_CAMPUS, "someone", actor.userid)),
        };
        expect({ column, kind, ...got }).toEqual({ column, kind, ...expected });
        // The list filter for the same action shows exactly the campuses can() allows (person-level rules are not a scope).
        const listed = scope(actor, action, kind);
        expect({ column, kind, own: scopeCoversPath(listed, OWN_CAMPUS), other: scopeCoversPath(listed, OTHER_CAMPUS) }).toEqual({
          column,
          kind,
          own: expected.own,
          other: expected.other,
        });
      }
    }
  });
});
