import type { DataSource } from "typeorm";
import { displayNames } from "../../org";
import { childrenOfParents, classNames, type ChildOf } from "../../parents";

/**
 * Names for the ids an API answer carries, so a page never shows a userid,
 * external_userid, chat id or class code. The API already decided what the
 * reader may see; this only puts names on it. An id with no name shows as a
 * neutral label, never as itself.
 */
export class Names {
  private constructor(
    private readonly names: Map<string, string>,
    private readonly children: Map<string, ChildOf[]>,
    private readonly classes: Map<string, string>,
  ) {}

  /** Names already known (views' unit tests; pages use load). */
  static of(names: Record<string, string>): Names {
    return new Names(new Map(Object.entries(names)), new Map(), new Map());
  }

  static async load(dataSource: DataSource, ids: { people?: Iterable<string>; parents?: Iterable<string>; classes?: Iterable<string> }): Promise<Names> {
    const parents = [...(ids.parents ?? [])];
    const [names, children, classes] = await Promise.all([
      displayNames(dataSource.manager, [...(ids.people ?? []), ...parents]),
      childrenOfParents(dataSource.manager, parents),
      classNames(dataSource.manager, ids.classes ?? []),
    ]);
    return new Names(names, children, classes);
  }

  /** A staff member, parent or group by name. */
  of(id: string | null | undefined, fallback = "（未知）"): string {
    if (!id) return fallback;
    return this.names.get(id) ?? fallback;
  }

  /** A parent with their children and classes: 张妈妈（学生01 · 三年级一班）. */
  parent(id: string): string {
    const kids = this.children.get(id) ?? [];
    const name = this.of(id, "家长");
    return kids.length === 0 ? name : `${name}（${kids.map((k) => (k.className ? `${k.name} · ${k.className}` : k.name)).join("；")}）`;
  }

  group(id: string): string {
    return this.of(id, "客户群（名称未知）");
  }

  className(code: string): string {
    return this.classes.get(code) ?? "班级";
  }

  people(ids: readonly string[]): string {
    return ids.map((id) => this.of(id)).join("、");
  }
}
