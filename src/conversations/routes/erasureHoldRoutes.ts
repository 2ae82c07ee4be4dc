import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { displayNames } from "../../org";
import { teacherTitle } from "../../org";
import type { Actor } from "../../org";
import { loadAuthorizedStaff, scope } from "../../org";
import { formatDateZh, fromInstant } from "../../platform/localDate";
import type { Clock } from "../../platform/clock";
import { returnedRows } from "../../platform/db/returnedRows";
import { AuthorizationError, NotFoundError } from "../../platform/errors";
import type { EntityManager } from "typeorm";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { erasureDueAt } from "../consent/erasureDue";
import { withdrawnConsents } from "../queries/withdrawnConsents";
import { parentLabels } from "../presenters/parentLabels";

const id = z.string().min(1).max(128);
const pairParams = z.object({ staffUserid: id, externalUserid: id });
const groupParams = z.object({ roomId: id, externalUserid: id });
const NOT_HR = "只有老师所在校区的人事可以查看家长撤回存档同意后的聊天记录并暂缓删除";
const holdBody = z.object({ reason: z.string().trim().min(1, "请填写暂缓删除的原因（如：家长投诉处理中）").max(500, "原因最多 500 字") });

/**
 * HR holds a withdrawn pair's archive back from erasure while a dispute needs
 * it as evidence (PIPL 47 allows keeping what another law requires), and
 * releases the hold. HR of the teacher's subtree only: the same people who
 * change that teacher's records. A parent's messages in a group chat are held
 * the same way (by group and parent); there the HR must be that of every staff
 * member whose words are archived in the group, since the group is theirs too.
 */
export function erasureHoldRoutes(deps: { dataSource: DataSource; clock: Clock; graceDays: number; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/conversations/erasure-holds" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  const names = async (manager: EntityManager, staff: string, parent: string) => {
    const found = await displayNames(manager, [staff]);
    const parents = await parentLabels(manager, [parent]);
    const teacher = found.get(staff);
    return `${teacher ? teacherTitle(teacher) : "该员工"}与${parents.get(parent)}`;
  };

  /** A refusal that says who may act, instead of the generic one (a campus head reads the archive but may not hold it). */
  const asHr = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw err instanceof AuthorizationError ? new AuthorizationError(NOT_HR) : err;
    }
  };

  // The withdrawals HR may hold, by name, with when each will be erased: the console's page. Listed by the same
  // scope the writes below authorize, so a row never offers a hold the API would refuse.
  route.get("/", {
    auth: deps.auth,
    list: "staff",
    handle: async ({ manager, actor }) => {
      const writable = scope(actor, "update", "staff");
      if (!writable.all && writable.departmentIds.length === 0) throw new AuthorizationError(NOT_HR);
      return { data: { graceDays: deps.graceDays, withdrawals: await withdrawnConsents(manager, actor, deps.clock.now(), deps.graceDays) } };
    },
  });

  /**
   * Stores the hold. The same reason again (a replayed form post) changes nothing and says since when it holds;
   * a new reason replaces the old one.
   */
  const hold = async (
    manager: EntityManager,
    table: "archive_erasure_hold" | "archive_room_erasure_hold",
    key: [column: string, value: string],
    externalUserid: string,
    reason: string,
    actor: Actor,
  ): Promise<{ unchanged: Date | null }> => {
    const [existing]: Array<{ reason: string; held_at: Date }> = await manager.query(
      `SELECT reason, held_at FROM ${table} WHERE ${key[0]} = $1 AND external_userid = $2 FOR UPDATE`,
      [key[1], externalUserid],
    );
    if (existing?.reason === reason) return { unchanged: existing.held_at };
    await manager.query(
      `INSERT INTO ${table} (${key[0]}, external_userid, reason, held_by, held_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (${key[0]}, external_userid) DO UPDATE SET reason = EXCLUDED.reason, held_by = EXCLUDED.held_by, held_at = EXCLUDED.held_at`,
      [key[1], externalUserid, reason, actor.userid, deps.clock.now()],
    );
    return { unchanged: null };
  };
  const heldMessage = (who: string, reason: string, unchanged: Date | null) =>
    unchanged
      ? `${who}的聊天记录已于 ${formatDateZh(fromInstant(unchanged))}暂缓删除（原因：${reason}），原因未变，这次未作改动`
      : `已暂缓删除${who}的聊天记录（原因：${reason}），解除前不会删除`;

  route.put("/:staffUserid/:externalUserid", {
    auth: deps.auth,
    params: pairParams,
    body: holdBody,
    // Past the edge's 2,000 so an over-long reason is refused by the schema's own words (最多 500 字).
    limits: { body: 20_000 },
    transaction: true,
    load: ({ manager, actor, params }) => asHr(() => loadAuthorizedStaff(manager, actor, "update", params.staffUserid)),
    handle: async ({ manager, actor, params, body }) => {
      const { unchanged } = await hold(manager, "archive_erasure_hold", ["staff_userid", params.staffUserid], params.externalUserid, body.reason, actor);
      return { message: heldMessage(await names(manager, params.staffUserid, params.externalUserid), body.reason, unchanged) };
    },
  });

  route.delete("/:staffUserid/:externalUserid", {
    auth: deps.auth,
    params: pairParams,
    transaction: true,
    load: ({ manager, actor, params }) => asHr(() => loadAuthorizedStaff(manager, actor, "update", params.staffUserid)),
    handle: async ({ manager, params }) => {
      const released = returnedRows(
        await manager.query(`DELETE FROM archive_erasure_hold WHERE staff_userid = $1 AND external_userid = $2 RETURNING 1`, [params.staffUserid, params.externalUserid]),
      );
      if (released.length === 0) throw new NotFoundError("这对聊天记录没有暂缓删除");
      const [consent]: Array<{ status: string; changed_at: Date }> = await manager.query(
        `SELECT status, changed_at FROM archive_consent WHERE staff_userid = $1 AND external_userid = $2`,
        [params.staffUserid, params.externalUserid],
      );
      const who = await names(manager, params.staffUserid, params.externalUserid);
      if (consent?.status !== "disagree") return { message: `已解除暂缓：${who}的聊天记录家长仍同意存档，不会删除` };
      const due = erasureDueAt(consent.changed_at, deps.graceDays);
      return { message: `已解除暂缓：家长已撤回存档同意，${who}的聊天记录将于 ${formatDateZh(fromInstant(due))}后删除` };
    },
  });
  /** Staff whose messages are archived in the group; HR acting on the group must be allowed to change each of them. */
  const loadAuthorizedRoom = async ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { roomId: string } }) => {
    const staff: { staff_userid: string }[] = await manager.query(
      `SELECT DISTINCT staff_userid FROM archive_message WHERE room_id = $1 AND staff_userid IS NOT NULL ORDER BY staff_userid`,
      [params.roomId],
    );
    if (staff.length === 0) throw new NotFoundError("该群聊没有会话存档记录");
    for (const { staff_userid } of staff) await asHr(() => loadAuthorizedStaff(manager, actor, "update", staff_userid));
    return params.roomId;
  };
  const groupNames = async (manager: EntityManager, roomId: string, parent: string) => {
    const found = await displayNames(manager, [roomId]);
    const parents = await parentLabels(manager, [parent]);
    return `${parents.get(parent)}在群聊「${found.get(roomId) ?? "未命名群聊"}」中`;
  };

  route.put("/groups/:roomId/:externalUserid", {
    auth: deps.auth,
    params: groupParams,
    body: holdBody,
    // Past the edge's 2,000 so an over-long reason is refused by the schema's own words (最多 500 字).
    limits: { body: 20_000 },
    transaction: true,
    load: loadAuthorizedRoom,
    handle: async ({ manager, actor, params, body }) => {
      const { unchanged } = await hold(manager, "archive_room_erasure_hold", ["room_id", params.roomId], params.externalUserid, body.reason, actor);
      return { message: heldMessage(await groupNames(manager, params.roomId, params.externalUserid), body.reason, unchanged) };
    },
  });

  route.delete("/groups/:roomId/:externalUserid", {
    auth: deps.auth,
    params: groupParams,
    transaction: true,
    load: loadAuthorizedRoom,
    handle: async ({ manager, params }) => {
      const released = returnedRows(
        await manager.query(`DELETE FROM archive_room_erasure_hold WHERE room_id = $1 AND external_userid = $2 RETURNING 1`, [params.roomId, params.externalUserid]),
      );
      if (released.length === 0) throw new NotFoundError("该家长在这个群聊中的聊天记录没有暂缓删除");
      const [consent]: Array<{ status: string; changed_at: Date }> = await manager.query(
        `SELECT status, changed_at FROM archive_room_consent WHERE room_id = $1 AND external_userid = $2`,
        [params.roomId, params.externalUserid],
      );
      const who = await groupNames(manager, params.roomId, params.externalUserid);
      if (consent?.status !== "disagree") return { message: `已解除暂缓：${who}的聊天记录家长仍同意存档，不会删除` };
      const due = erasureDueAt(consent.changed_at, deps.graceDays);
      return { message: `已解除暂缓：家长已撤回存档同意，${who}的聊天记录将于 ${formatDateZh(fromInstant(due))}后删除` };
    },
  });
  return router;
}
