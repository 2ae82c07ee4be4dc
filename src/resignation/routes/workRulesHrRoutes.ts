import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { loadAuthorizedStaff, scope, scopeSql, StaffStatus, type Actor } from "../../org";
import type { Clock } from "../../platform/clock";
import { ConflictError, NotFoundError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { enqueueMessage } from "../outbox/outbox";
import { WORK_RULES_TITLE } from "../rules/workRulesDocument";

/** HR's own reminder goes out at most once a day per member: a second click, or a replayed request, sends nothing. */
const HR_REMINDER_GAP_MS = 24 * 3600_000;
const staffParams = z.object({ userid: z.string().min(1).max(64) });

function beijingClock(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * Who has not signed the work-account rules yet (onboarding, seed 001 "法律风险前置"), for HR and campus heads of
 * their branches, by name and campus, with how long they have waited and how often they were reminded; HR of
 * the member's branch may remind them again, once a day.
 */
export function workRulesHrRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/hr/work-rules" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/unsigned", {
    auth: deps.auth,
    list: "staff",
    handle: async ({ actor, manager }) => {
      const now = deps.clock.now();
      const readable = scopeSql(scope(actor, "read", "staff"), 2);
      const writable = scopeSql(scope(actor, "update", "staff"), 2 + readable.params.length);
      const rows: { userid: string; name: string; campus: string | null; opened_at: Date; reminders: number; last_at: Date | null; hr_reminded_at: Date | null; may_remind: boolean }[] =
        await manager.query(
          `SELECT w.userid, s.name, (SELECT d.name FROM department d WHERE d.id = coalesce(s.main_department, s.department_ids[1])) AS campus, w.opened_at,
                  coalesce(r.reminders_sent, 0) + w.hr_reminders AS reminders, greatest(r.last_sent_at, w.hr_reminded_at) AS last_at, w.hr_reminded_at,
                  ${writable.staff("w.userid")} AS may_remind
             FROM work_rules_signature w JOIN staff s ON s.userid = w.userid
             LEFT JOIN reminder r ON r.subject_kind = 'work_rules_signature' AND r.subject_id = w.userid AND r.recipient_userid = w.userid
            WHERE w.signed_at IS NULL AND s.status <> $1 AND ${readable.staff("w.userid")}
            ORDER BY w.opened_at, s.name LIMIT 1000`,
          [StaffStatus.left, ...readable.params, ...writable.params],
        );
      return {
        data: {
          members: rows.map((r) => {
            const waitingDays = Math.max(0, Math.floor((now.getTime() - new Date(r.opened_at).getTime()) / 86_400_000));
            const next = r.hr_reminded_at ? new Date(new Date(r.hr_reminded_at).getTime() + HR_REMINDER_GAP_MS) : null;
            return {
              userid: r.userid,
              name: r.name,
              campus: r.campus,
              openedOn: beijingClock(new Date(r.opened_at)).slice(0, 10),
              waitingDays,
              waiting: waitingDays === 0 ? "不到 1 天" : `${waitingDays} 天`,
              reminders: r.reminders,
              lastRemindedAt: r.last_at ? beijingClock(new Date(r.last_at)) : null,
              mayRemind: r.may_remind,
              // When HR may remind again (null: now).
              remindAgainAt: next && next > now ? beijingClock(next) : null,
            };
          }),
        },
      };
    },
  });

  /**
   * HR reminds one member again now (a WeCom notice through the outbox). Once a day per member: a second
   * click or a replayed request within 24 hours is answered with when it was sent, and sends nothing.
   */
  route.post("/:userid/remind", {
    auth: deps.auth,
    params: staffParams,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedStaff(manager, actor, "update", params.userid),
    handle: async ({ manager, actor, resource }) => {
      const now = deps.clock.now();
      const [row]: { signed_at: Date | null; hr_reminded_at: Date | null; name: string }[] = await manager.query(
        `SELECT w.signed_at, w.hr_reminded_at, s.name FROM work_rules_signature w JOIN staff s ON s.userid = w.userid WHERE w.userid = $1 FOR UPDATE OF w`,
        [resource.userid],
      );
      if (!row) throw new NotFoundError("该员工没有待签署的工作账号规则（入职时未收到）");
      if (row.signed_at) throw new ConflictError(`${row.name}已于 ${beijingClock(new Date(row.signed_at))} 签署，无需提醒`);
      if (row.hr_reminded_at && now.getTime() - new Date(row.hr_reminded_at).getTime() < HR_REMINDER_GAP_MS) {
        const next = beijingClock(new Date(new Date(row.hr_reminded_at).getTime() + HR_REMINDER_GAP_MS));
        return { data: { outcome: "already", message: `已于 ${beijingClock(new Date(row.hr_reminded_at))} 提醒过${row.name}，这次未重复发送；${next} 后可再次提醒。` } };
      }
      await manager.query(`UPDATE work_rules_signature SET hr_reminded_at = $2, hr_reminded_by = $3, hr_reminders = hr_reminders + 1 WHERE userid = $1`, [resource.userid, now, actor.userid]);
      await enqueueMessage(
        manager,
        null,
        "reminder",
        { type: "text", touser: [resource.userid], content: `【人事提醒】您的《${WORK_RULES_TITLE}》尚未签署，请在小程序「工作账号规则」中阅读并签署。如有疑问请联系人事。` },
        now,
      );
      return { data: { outcome: "sent", message: `已通过企业微信再次提醒${row.name}签署工作账号规则。` } };
    },
  });
  return router;
}
