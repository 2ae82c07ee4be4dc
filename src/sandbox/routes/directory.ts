import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import type { Department, User } from "../state/types";
import { integer, optionalString, requiredString } from "./params";
import { CONTACT_SYNC, DIRECTORY_READERS, type SandboxRoute } from "./route";

/**
 * Members and departments. Since 2022-06-20 self-built apps no longer see
 * mobile, email, avatar, gender, address or QR code, so none are returned.
 */
function presentUser(user: User) {
  return {
    userid: user.userid,
    name: user.name,
    department: user.departments,
    main_department: user.mainDepartment,
    position: user.position,
    status: user.status,
  };
}

function presentDepartment(d: Department) {
  return { id: d.id, name: d.name, name_en: d.nameEn, department_leader: d.leaders, parentid: d.parentId, order: d.order };
}

export function directoryRoutes(core: SandboxCore): SandboxRoute[] {
  const { state } = core;

  /** A deleted member (leftAt set) is unknown to every directory API: 60111, like a userid that never existed. */
  function user(userid: unknown): User {
    const found = state.users.get(requiredString(userid, "userid"));
    if (!found || found.leftAt !== undefined) throw new SandboxApiError(ERR.userNotFound, "userid not found");
    return found;
  }

  function department(id: unknown): Department {
    const found = state.departments.get(integer(id, "id"));
    if (!found) throw new SandboxApiError(ERR.departmentNotFound, "invalid department id");
    return found;
  }

  function departmentTree(id: unknown): Department[] {
    const rootId = id === undefined || id === "" ? 1 : department(id).id;
    return state.departmentSubtree(rootId).flatMap((d) => state.departments.get(d) ?? []);
  }

  /** fetch_child is ignored like the real API does since it stopped honouring it (path/96260). */
  function members(query: Record<string, string>): User[] {
    return state.departmentMembers(department(query.department_id).id);
  }

  return [
    { method: "GET", path: "/cgi-bin/user/get", grants: DIRECTORY_READERS, handle: ({ query }) => presentUser(user(query.userid)) },
    {
      method: "POST",
      path: "/cgi-bin/user/update",
      grants: CONTACT_SYNC,
      handle: ({ body }) => {
        const target = user(body.userid);
        const name = optionalString(body.name, "name");
        const position = optionalString(body.position, "position");
        if (body.enable !== undefined) {
          const enable = integer(body.enable, "enable", { min: 0, max: 1 });
          if (target.status === 5) throw new SandboxApiError(ERR.userNotFound, "member has left");
          target.status = enable === 1 ? 1 : 2;
        }
        if (name !== undefined) target.name = name;
        if (position !== undefined) target.position = position;
        return {};
      },
    },
    {
      method: "GET",
      path: "/cgi-bin/user/simplelist",
      grants: DIRECTORY_READERS,
      handle: ({ query }) => ({
        userlist: members(query).map((u) => ({ userid: u.userid, name: u.name, department: u.departments })),
      }),
    },
    {
      method: "GET",
      path: "/cgi-bin/user/list",
      grants: DIRECTORY_READERS,
      handle: ({ query }) => ({ userlist: members(query).map(presentUser) }),
    },
    {
      method: "GET",
      path: "/cgi-bin/department/list",
      grants: DIRECTORY_READERS,
      handle: ({ query }) => ({ department: departmentTree(query.id).map(presentDepartment) }),
    },
    {
      method: "GET",
      path: "/cgi-bin/department/simplelist",
      grants: DIRECTORY_READERS,
      handle: ({ query }) => ({
        department_id: departmentTree(query.id).map((d) => ({ id: d.id, parentid: d.parentId, order: d.order })),
      }),
    },
    {
      method: "GET",
      path: "/cgi-bin/department/get",
      grants: DIRECTORY_READERS,
      handle: ({ query }) => ({ department: presentDepartment(department(query.id)) }),
    },
  ];
}
