import type { DataSource } from "typeorm";
import { staffByName } from "../../org";
import { ValidationError } from "../../platform/errors";

/** What each typed name stands for: the staff with that exact name (a typed userid stands for itself when it is one). */
export async function resolveNames(dataSource: DataSource, typed: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const name of new Set(typed.map((t) => t.trim()).filter(Boolean))) {
    out.set(name, await staffByName(dataSource.manager, name));
  }
  return out;
}

/** One person for a typed name, or a 400 saying why not (unknown, or several people share it). */
export function resolvePerson(resolved: Map<string, string[]>, name: string, field: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError(`请填写${field}`);
  const ids = resolved.get(trimmed) ?? [];
  if (ids.length === 0) throw new ValidationError(`${field}：没有找到名为“${trimmed}”的员工`);
  if (ids.length > 1) throw new ValidationError(`${field}：有 ${ids.length} 位员工叫“${trimmed}”，请联系管理员区分`);
  return ids[0]!;
}
