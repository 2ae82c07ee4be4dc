import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export interface Department {
  id: number;
  name?: string;
  name_en?: string;
  department_leader?: string[];
  parentid: number;
  order?: number;
}

export interface DepartmentRef {
  id: number;
  parentid: number;
  order?: number;
}

/** Departments (department/*), agent secret. The docs prefer simplelist + get over list. */
export class DepartmentApi {
  constructor(private readonly http: WeComHttp) {}

  async list(id?: number): Promise<Department[]> {
    const reply = await this.http.get<WeComReply & { department?: Department[] }>(
      "department",
      "/cgi-bin/department/list",
      { secret: "agent", query: { id } },
    );
    return reply.department ?? [];
  }

  async simplelist(id?: number): Promise<DepartmentRef[]> {
    const reply = await this.http.get<WeComReply & { department_id?: DepartmentRef[] }>(
      "department",
      "/cgi-bin/department/simplelist",
      { secret: "agent", query: { id } },
    );
    return reply.department_id ?? [];
  }

  async get(id: number): Promise<Department> {
    const reply = await this.http.get<WeComReply & { department: Department }>(
      "department",
      "/cgi-bin/department/get",
      { secret: "agent", query: { id } },
    );
    return reply.department;
  }
}
