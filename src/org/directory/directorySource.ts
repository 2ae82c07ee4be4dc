import type { DepartmentInput } from "./departmentTree";

/** A member as WeCom's user/list returns it (the fields we keep). */
export interface DirectoryMember {
  userid: string;
  name: string;
  department: number[];
  is_leader_in_dept?: number[];
  main_department?: number;
  position?: string;
  status: number;
}

/** Where the directory comes from: the WeCom client in production, the sandbox in tests. */
export interface DirectorySource {
  listDepartments(): Promise<DepartmentInput[]>;
  listMembers(departmentId: number): Promise<DirectoryMember[]>;
}
