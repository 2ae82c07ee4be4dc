import type { SandboxState } from "./sandboxState";
import type { Department, ExternalContact, Follow, GroupChat, GroupMember, User } from "./types";

/** Seed rows: only identifiers are required, the rest gets WeCom-like defaults. */
export interface SeedInput {
  departments?: Array<Partial<Department> & Pick<Department, "id" | "name">>;
  users?: Array<Partial<User> & Pick<User, "userid">>;
  externalContacts?: Array<Partial<ExternalContact> & Pick<ExternalContact, "externalUserId">>;
  follows?: Array<Partial<Follow> & Pick<Follow, "userid" | "externalUserId">>;
  groupChats?: Array<
    Partial<Omit<GroupChat, "members">> &
      Pick<GroupChat, "chatId" | "owner"> & { members?: Array<Partial<GroupMember> & Pick<GroupMember, "userid">> }
  >;
  robots?: Record<string, string>;
  archivePermitUsers?: string[];
}

export function seedState(state: SandboxState, input: SeedInput, now: Date): void {
  for (const d of input.departments ?? []) {
    state.departments.set(d.id, { nameEn: "", parentId: d.id === 1 ? 0 : 1, order: 0, leaders: [], ...d });
  }
  for (const u of input.users ?? []) {
    const departments = u.departments ?? [1];
    state.users.set(u.userid, {
      name: u.userid,
      position: "",
      status: 1,
      mainDepartment: departments[0] ?? 1,
      ...u,
      departments,
    });
  }
  for (const c of input.externalContacts ?? []) {
    state.externalContacts.set(c.externalUserId, {
      name: c.externalUserId,
      type: 1,
      gender: 0,
      unionid: "",
      avatar: "",
      ...c,
    });
  }
  for (const f of input.follows ?? []) {
    if (!state.externalContacts.has(f.externalUserId)) {
      state.externalContacts.set(f.externalUserId, { externalUserId: f.externalUserId, name: f.externalUserId, type: 1, gender: 0, unionid: "", avatar: "" });
    }
    state.addFollow({
      remark: "",
      description: "",
      createdAt: now,
      tags: [],
      addWay: 1,
      operUserid: f.userid,
      state: "",
      ...f,
    });
  }
  for (const g of input.groupChats ?? []) {
    const members: GroupMember[] = (g.members ?? [{ userid: g.owner }]).map((m) => ({
      type: state.users.has(m.userid) ? 1 : 2,
      joinTime: now,
      joinScene: 0,
      ...m,
    }));
    state.groupChats.set(g.chatId, {
      name: g.chatId,
      createdAt: now,
      notice: "",
      admins: [],
      memberVersion: 1,
      dismissed: false,
      ...g,
      members,
    });
  }
  for (const [key, name] of Object.entries(input.robots ?? {})) state.robots.set(key, name);
  for (const userid of input.archivePermitUsers ?? []) state.archivePermitUsers.add(userid);
}
