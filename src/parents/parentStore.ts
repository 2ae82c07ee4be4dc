import type { EntityManager } from "typeorm";
import type { ExternalContactProfile, FollowChange, FollowInfo } from "./externalContactTypes";

/**
 * Writes to the parents mirror. Every write carries the time of the WeCom
 * event that caused it; an older event never overwrites a newer one, so late
 * or out-of-order callbacks (an "add" retried after a "delete") cannot
 * resurrect a relation.
 */
export class ParentStore {
  constructor(private readonly manager: EntityManager) {}

  async apply(change: FollowChange, eventAt: Date, now: Date): Promise<void> {
    switch (change.kind) {
      case "added_or_edited":
        await this.upsertProfile(change.profile, now);
        await this.upsertFollow(change.profile.external_userid, change.follow, eventAt, now);
        return;
      case "deleted_by_staff":
        await this.setStatus(change.staffUserid, change.externalUserid, change.byTransfer ? "transferred_away" : "deleted_by_staff", eventAt, now);
        return;
      case "deleted_by_parent":
        await this.setStatus(change.staffUserid, change.externalUserid, "deleted_by_parent", eventAt, now);
        return;
    }
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

  private async setStatus(staffUserid: string, externalUserid: string, status: string, eventAt: Date, now: Date): Promise<void> {
    // A delete for a relation we never saw still records that it existed and ended.
    await this.manager.query(
      `INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (staff_userid, external_userid) DO UPDATE SET status = excluded.status,
         last_event_at = excluded.last_event_at, updated_at = excluded.updated_at
       WHERE follow_relation.last_event_at <= excluded.last_event_at`,
      [staffUserid, externalUserid, status, eventAt, now],
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
