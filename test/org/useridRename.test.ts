import { registerStaffRenames } from "../../src/compose";
import { applyContactEvent } from "../../src/org/directory/applyContactEvent";
import { renameOrgUserid } from "../../src/org/directory/renameOrgUserid";
import { StaffRenames } from "../../src/org/directory/staffRenames";
import type { ContactEvent } from "../../src/wecom/events/types";
import { family, leaverLeaves, startHarness, type Harness } from "../handover/harness";

/**
 * change_contact update_user with NewUserID (Tencent path/90970): the member is the same person under a new
 * userid, so every table that says who someone IS or what waits on them follows — through each capability's
 * own rename hook, in the event's transaction — while records of who did what keep the id of the time.
 */
describe("a userid rename reaches every capability's tables", () => {
  let h: Harness;
  const parents = family(4, "wm_r");
  const renames = new StaffRenames();
  renames.register("org", renameOrgUserid);
  registerStaffRenames(renames);

  beforeAll(async () => {
    h = await startHarness(parents);
    await leaverLeaves(h);
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    const q = (sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params);
    await q(`INSERT INTO risk_staff_state (staff_userid, state, updated_at) VALUES ('t_b', '{}', now())`);
    await q(`UPDATE department SET leader_userids = '{t_b}' WHERE id = 2`);
  }, 60_000);
  afterAll(() => h.close());

  const rename = (from: string, to: string, at: number): ContactEvent =>
    ({ type: "change_contact", changeType: "update_user", userId: from, newUserId: to, createTime: at, department: [] }) as unknown as ContactEvent;
  const count = async (sql: string, params: unknown[]) => Number((await h.db.dataSource.query(sql, params))[0].n);

  it("renames the successor t_b → wang_fang everywhere it is a relation, in one transaction; a redelivery changes nothing", async () => {
    const before = {
      transfers: await count(`SELECT count(*) AS n FROM customer_transfer WHERE successor_userid = 't_b'`, []),
      classes: await count(`SELECT count(*) AS n FROM class_teacher WHERE staff_userid = 't_b'`, []),
      grants: await count(`SELECT count(*) AS n FROM role_grant WHERE userid = 't_b'`, []),
      items: await count(`SELECT count(*) AS n FROM reassignment_item WHERE successor_userid = 't_b'`, []),
    };
    expect(before).toEqual({ transfers: 2, classes: 1, grants: 1, items: 2 });
    const at = Math.floor(h.clock.now().getTime() / 1000);
    for (let i = 0; i < 2; i++) {
      await h.db.dataSource.transaction((m) => applyContactEvent(m, rename("t_b", "wang_fang", at), renames));
    }
    const old = await count(
      `SELECT (SELECT count(*) FROM customer_transfer WHERE successor_userid = 't_b') + (SELECT count(*) FROM class_teacher WHERE staff_userid = 't_b')
            + (SELECT count(*) FROM role_grant WHERE userid = 't_b') + (SELECT count(*) FROM reassignment_item WHERE successor_userid = 't_b')
            + (SELECT count(*) FROM transfer_call WHERE successor_userid = 't_b') + (SELECT count(*) FROM risk_staff_state WHERE staff_userid = 't_b')
            + (SELECT count(*) FROM department WHERE 't_b' = ANY(leader_userids)) + (SELECT count(*) FROM staff WHERE userid = 't_b') AS n`,
      [],
    );
    expect(old).toBe(0);
    expect({
      transfers: await count(`SELECT count(*) AS n FROM customer_transfer WHERE successor_userid = 'wang_fang'`, []),
      classes: await count(`SELECT count(*) AS n FROM class_teacher WHERE staff_userid = 'wang_fang'`, []),
      grants: await count(`SELECT count(*) AS n FROM role_grant WHERE userid = 'wang_fang' AND role = 'campus_head'`, []),
      items: await count(`SELECT count(*) AS n FROM reassignment_item WHERE successor_userid = 'wang_fang'`, []),
      leaders: await count(`SELECT count(*) AS n FROM department WHERE id = 2 AND leader_userids = '{wang_fang}'`, []),
      risk: await count(`SELECT count(*) AS n FROM risk_staff_state WHERE staff_userid = 'wang_fang'`, []),
    }).toEqual({ transfers: 2, classes: 1, grants: 1, items: 2, leaders: 1, risk: 1 });
  });

  it("renames the leaver: the plan, its items and transfers follow; who granted roles stays as recorded", async () => {
    const at = Math.floor(h.clock.now().getTime() / 1000) + 1;
    await h.db.dataSource.transaction((m) => applyContactEvent(m, rename("teacher_a", "zhang_li", at), renames));
    expect(await count(`SELECT count(*) AS n FROM reassignment_plan WHERE leaver_userid = 'zhang_li'`, [])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM customer_transfer WHERE leaver_userid = 'teacher_a'`, [])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM customer_transfer WHERE leaver_userid = 'zhang_li'`, [])).toBe(4);
    expect(await count(`SELECT count(*) AS n FROM transfer_call WHERE leaver_userid = 'zhang_li'`, [])).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM role_grant WHERE granted_by = 'seed'`, [])).toBe(3);
  });

  it("renames the teacher of a withdrawn pair: the parent's consent, HR's hold on erasure and the erasure log follow", async () => {
    const q = (sql: string) => h.db.dataSource.query(sql);
    await q(`INSERT INTO staff (userid, name, department_ids, main_department, status) VALUES ('chen_old', '陈老师', '{2}', 2, 1)`);
    await q(`INSERT INTO archive_consent (staff_userid, external_userid, status, changed_at, source, recorded_at) VALUES ('chen_old', 'wm_x', 'disagree', now(), 'event', now())`);
    await q(`INSERT INTO archive_erasure_hold (staff_userid, external_userid, reason, held_by, held_at) VALUES ('chen_old', 'wm_x', '投诉处理中', 'hr_bj', now())`);
    await q(`INSERT INTO archive_erasure_log (staff_userid, external_userid, consent_withdrawn_at, erased_at, messages_erased, media_erased) VALUES ('chen_old', 'wm_y', now(), now(), 3, 0)`);
    const at = Math.floor(h.clock.now().getTime() / 1000) + 3;
    await h.db.dataSource.transaction((m) => applyContactEvent(m, rename("chen_old", "chen_new", at), renames));
    expect({
      consent: await count(`SELECT count(*) AS n FROM archive_consent WHERE staff_userid = 'chen_new'`, []),
      hold: await count(`SELECT count(*) AS n FROM archive_erasure_hold WHERE staff_userid = 'chen_new' AND held_by = 'hr_bj'`, []),
      log: await count(`SELECT count(*) AS n FROM archive_erasure_log WHERE staff_userid = 'chen_new'`, []),
      left: await count(`SELECT (SELECT count(*) FROM archive_consent WHERE staff_userid = 'chen_old') + (SELECT count(*) FROM archive_erasure_hold WHERE staff_userid = 'chen_old') AS n`, []),
    }).toEqual({ consent: 1, hold: 1, log: 1, left: 0 });
  });

  it("onto a userid that already has the same relation (the sync mirrored it first): the old duplicate goes, nothing collides", async () => {
    await h.db.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department, status) VALUES ('liu_old', '刘洋', '{2}', 2, 1), ('liu_new', '刘洋', '{2}', 2, 1)`);
    await h.db.dataSource.query(`INSERT INTO class_teacher (class_code, staff_userid, role, subject) VALUES ('C1', 'liu_old', 'subject_teacher', '英语'), ('C1', 'liu_new', 'subject_teacher', '英语')`);
    await h.db.dataSource.query(`INSERT INTO risk_staff_state (staff_userid, state, updated_at) VALUES ('liu_old', '{}', now()), ('liu_new', '{}', now())`);
    const at = Math.floor(h.clock.now().getTime() / 1000) + 2;
    await h.db.dataSource.transaction((m) => applyContactEvent(m, rename("liu_old", "liu_new", at), renames));
    expect(await count(`SELECT count(*) AS n FROM class_teacher WHERE staff_userid IN ('liu_old','liu_new')`, [])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM risk_staff_state WHERE staff_userid IN ('liu_old','liu_new')`, [])).toBe(1);
  });

  it("every capability that keeps userids has registered", () => {
    expect(renames.capabilities).toEqual(["org", "parents", "conversations", "handover", "alerts", "resignation", "schedules"]);
  });
});
