import type { EntityManager } from "typeorm";
import type { ExternalContactProfile, FollowChange, FollowInfo } from "./externalContactTypes";
import { foldFollowSteps, type FollowRow, type FollowStep } from "./followFold";

/** One event's change with the WeCom time of the event. */
export interface TimedFollowChange {
  change: FollowChange;
  eventAt: Date;
}

const key = (staff: string, parent: string) => `${staff}\u0000${parent}`;

/**
 * Writes to the parents mirror. Every write carries the time of the WeCom
 * event that caused it; an older event never overwrites a newer one, so late
 * or out-of-order callbacks (an "add" retried after a "delete") cannot
 * resurrect a relation.
 */
export class ParentStore {
  constructor(private readonly manager: EntityManager) {}

  async apply(change: FollowChange, eventAt: Date, now: Date): Promise<void> {
    await this.applyAll([{ change, eventAt }], now);
  }

  /**
   * Many events' changes (in arrival order) in a constant number of statements
   * (issue 16: a mass transfer's thousands of events): the profiles, then the
   * relations they name read and locked at once, each folded through its
   * events by the same rule as one by one (followFold.ts), and written back
   * together. A relation another transaction created between the read and the
   * write is read again and folded onto what it wrote.
   */
  async applyAll(changes: TimedFollowChange[], now: Date): Promise<void> {
    const profiles = new Map<string, ExternalContactProfile>();
    const steps = new Map<string, { staffUserid: string; externalUserid: string; steps: FollowStep[] }>();
    for (const { change, eventAt } of changes) {
      const [staffUserid, externalUserid, step]: [string, string, FollowStep] =
        change.kind === "added_or_edited"
          ? [change.follow.userid, change.profile.external_userid, { kind: "follow", follow: change.follow, eventAt }]
          : [change.staffUserid, change.externalUserid, { kind: "status", status: change.kind === "deleted_by_parent" ? "deleted_by_parent" : change.byTransfer ? "transferred_away" : "deleted_by_staff", eventAt }];
      // The profile is the parent's as WeCom answered it: the latest answer is kept.
      if (change.kind === "added_or_edited") profiles.set(change.profile.external_userid, change.profile);
      const k = key(staffUserid, externalUserid);
      const entry = steps.get(k) ?? { staffUserid, externalUserid, steps: [] };
      entry.steps.push(step);
      steps.set(k, entry);
    }
    if (profiles.size > 0) await this.upsertProfiles([...profiles.values()], now);
    let pending = [...steps.values()];
    while (pending.length > 0) {
      const current = await this.lockRows(pending);
      const updates: FollowRow[] = [];
      const inserts: FollowRow[] = [];
      for (const p of pending) {
        const before = current.get(key(p.staffUserid, p.externalUserid));
        const after = foldFollowSteps(before, p, p.steps, now);
        if (!after || after === before) continue;
        (before ? updates : inserts).push(after);
      }
      if (updates.length > 0) await this.writeRows(updates, "update");
      const created = inserts.length > 0 ? await this.writeRows(inserts, "insert") : new Set<string>();
      // Rare: created meanwhile by another transaction (its row now exists and is locked on the next read).
      const lost = new Set(inserts.map((r) => key(r.staffUserid, r.externalUserid)).filter((k) => !created.has(k)));
      pending = pending.filter((p) => lost.has(key(p.staffUserid, p.externalUserid)));
    }
  }

  private async lockRows(pairs: { staffUserid: string; externalUserid: string }[]): Promise<Map<string, FollowRow>> {
    const rows: Array<Record<string, unknown>> = await this.manager.query(
      `SELECT f.staff_userid, f.external_userid, f.remark, f.description, f.tags, f.add_time, f.add_way, f.oper_userid, f.state, f.status, f.last_event_at, f.updated_at
         FROM follow_relation f JOIN unnest($1::text[], $2::text[]) AS k(s, e) ON f.staff_userid = k.s AND f.external_userid = k.e
        ORDER BY f.staff_userid, f.external_userid
        FOR UPDATE OF f`,
      [pairs.map((p) => p.staffUserid), pairs.map((p) => p.externalUserid)],
    );
    return new Map(
      rows.map((r) => [
        key(String(r.staff_userid), String(r.external_userid)),
        {
          staffUserid: String(r.staff_userid),
          externalUserid: String(r.external_userid),
          remark: (r.remark as string | null) ?? null,
          description: (r.description as string | null) ?? null,
          tags: (r.tags as FollowRow["tags"]) ?? [],
          addTime: (r.add_time as Date | null) ?? null,
          addWay: (r.add_way as number | null) ?? null,
          operUserid: (r.oper_userid as string | null) ?? null,
          state: (r.state as string | null) ?? null,
          status: r.status as FollowRow["status"],
          lastEventAt: r.last_event_at as Date,
          updatedAt: r.updated_at as Date,
        },
      ]),
    );
  }

  /** Update rows read under lock, or insert new ones (returning those inserted; a row created meanwhile is skipped). */
  private async writeRows(rows: FollowRow[], mode: "update" | "insert"): Promise<Set<string>> {
    const params = [
      rows.map((r) => r.staffUserid),
      rows.map((r) => r.externalUserid),
      rows.map((r) => r.remark),
      rows.map((r) => r.description),
      rows.map((r) => JSON.stringify(r.tags)),
      rows.map((r) => r.addTime),
      rows.map((r) => r.addWay),
      rows.map((r) => r.operUserid),
      rows.map((r) => r.state),
      rows.map((r) => r.status),
      rows.map((r) => r.lastEventAt),
      rows.map((r) => r.updatedAt),
    ];
    const source = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::int[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[])
      AS v(staff_userid, external_userid, remark, description, tags, add_time, add_way, oper_userid, state, status, last_event_at, updated_at)`;
    if (mode === "update") {
      await this.manager.query(
        `UPDATE follow_relation AS f SET remark = v.remark, description = v.description, tags = v.tags, add_time = v.add_time, add_way = v.add_way,
           oper_userid = v.oper_userid, state = v.state, status = v.status, last_event_at = v.last_event_at, updated_at = v.updated_at
         FROM ${source} WHERE f.staff_userid = v.staff_userid AND f.external_userid = v.external_userid`,
        params,
      );
      return new Set();
    }
    const inserted: { staff_userid: string; external_userid: string }[] = await this.manager.query(
      `INSERT INTO follow_relation (staff_userid, external_userid, remark, description, tags, add_time, add_way, oper_userid, state, status, last_event_at, updated_at)
       SELECT * FROM ${source}
       ON CONFLICT (staff_userid, external_userid) DO NOTHING
       RETURNING staff_userid, external_userid`,
      params,
    );
    return new Set(inserted.map((r) => key(r.staff_userid, r.external_userid)));
  }

  private async upsertProfiles(profiles: ExternalContactProfile[], now: Date): Promise<void> {
    await this.manager.query(
      `INSERT INTO external_contact (external_userid, name, type, corp_name, updated_at)
       SELECT u.id, u.name, u.type, u.corp_name, $5 FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS u(id, name, type, corp_name)
       ON CONFLICT (external_userid) DO UPDATE SET name = excluded.name, type = excluded.type,
         corp_name = excluded.corp_name, updated_at = excluded.updated_at`,
      [profiles.map((p) => p.external_userid), profiles.map((p) => p.name), profiles.map((p) => p.type ?? 1), profiles.map((p) => p.corp_name ?? null), now],
    );
  }

  async upsertProfile(p: ExternalContactProfile, now: Date): Promise<void> {
    await this.manager.query(
      `INSERT INTO external_contact (external_userid, name, type, corp_name, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (external_userid) DO UPDATE SET name = excluded.name, type = excluded.type,
         corp_name = excluded.corp_name, updated_at = excluded.updated_at`,
      [p.external_userid, p.name, p.type ?? 1, p.corp_name ?? null, now],
    );
  }

  async upsertFollow(externalUserid: string, f: FollowInfo, eventAt: Date, now: Date): Promise<void> {
    const tags = (f.tags ?? []).map((t) => ({ group: t.group_name, name: t.tag_name, id: t.tag_id }));
    await this.manager.query(
      `INSERT INTO follow_relation (staff_userid, external_userid, remark, description, tags, add_time, add_way, oper_userid, state, status, last_event_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11)
       ON CONFLICT (staff_userid, external_userid) DO UPDATE SET remark = excluded.remark, description = excluded.description,
         tags = excluded.tags, add_time = coalesce(excluded.add_time, follow_relation.add_time), add_way = excluded.add_way,
         oper_userid = excluded.oper_userid, state = excluded.state, status = 'active',
         last_event_at = excluded.last_event_at, updated_at = excluded.updated_at
       WHERE follow_relation.last_event_at <= excluded.last_event_at`,
      [
        f.userid,
        externalUserid,
        f.remark ?? null,
        f.description ?? null,
        JSON.stringify(tags),
        f.createtime ? new Date(f.createtime * 1000) : null,
        f.add_way ?? null,
        f.oper_userid ?? null,
        f.state ?? null,
        eventAt,
        now,
      ],
    );
  }

  async activeParentsOf(staffUserid: string): Promise<string[]> {
    const rows: { external_userid: string }[] = await this.manager.query(
      `SELECT external_userid FROM follow_relation WHERE staff_userid = $1 AND status = 'active' ORDER BY external_userid`,
      [staffUserid],
    );
    return rows.map((r) => r.external_userid);
  }
}
