import Router from "@koa/router";
import { parentPhrase } from "../../parents";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { displayNames } from "../../org";
import { teacherTitle } from "../../org";
import type { Actor } from "../../org";
import { loadAuthorizedStaff } from "../../org";
import { formatDateZh, fromInstant } from "../../platform/localDate";
import type { Clock } from "../../platform/clock";
import { returnedRows } from "../../platform/db/returnedRows";
import { NotFoundError } from "../../platform/errors";
import type { EntityManager } from "typeorm";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { erasureDueAt } from "../consent/erasureDue";

const id = z.string().min(1).max(128);
const pairParams = z.object({ staffUserid: id, externalUserid: id });
const groupParams = z.object({ roomId: id, externalUserid: id });
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
  const names = async (manager: Parameters<typeof displayNames>[0], staff: string, parent: string) => {
    const found = await displayNames(manager, [staff, parent]);
    const teacher = found.get(staff);
    return `${teacher ? teacherTitle(teacher) : "该员工"}与${parentPhrase(found.get(parent))}`;
  };

  route.put("/:staffUserid/:externalUserid", {
    auth: deps.auth,
    params: pairParams,
    body: holdBody,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedStaff(manager, actor, "update", params.staffUserid),
    handle: async ({ manager, actor, params, body }) => {
      await manager.query(
        `INSERT INTO archive_erasure_hold (staff_userid, external_userid, reason, held_by, held_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (staff_userid, external_userid) DO UPDATE SET reason = EXCLUDED.reason, held_by = EXCLUDED.held_by, held_at = EXCLUDED.held_at`,
        [params.staffUserid, params.externalUserid, body.reason, actor.userid, deps.clock.now()],
      );
      return { message: `已暂缓删除${await names(manager, params.staffUserid, params.externalUserid)}的聊天记录（原因：${body.reason}），解除前不会删除` };
    },
  });

  route.delete("/:staffUserid/:externalUserid", {
    auth: deps.auth,
    params: pairParams,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedStaff(manager, actor, "update", params.staffUserid),
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
    for (const { staff_userid } of staff) await loadAuthorizedStaff(manager, actor, "update", staff_userid);
    return params.roomId;
  };
  const groupNames = async (manager: EntityManager, roomId: string, parent: string) => {
    const found = await displayNames(manager, [roomId, parent]);
    return `${parentPhrase(found.get(parent))}在群聊「${found.get(roomId) ?? "未命名群聊"}」中`;
  };

  route.put("/groups/:roomId/:externalUserid", {
    auth: deps.auth,
    params: groupParams,
    body: holdBody,
    transaction: true,
    load: loadAuthorizedRoom,
    handle: async ({ manager, actor, params, body }) => {
      await manager.query(
        `INSERT INTO archive_room_erasure_hold (room_id, external_userid, reason, held_by, held_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (room_id, external_userid) DO UPDATE SET reason = EXCLUDED.reason, held_by = EXCLUDED.held_by, held_at = EXCLUDED.held_at`,
        [params.roomId, params.externalUserid, body.reason, actor.userid, deps.clock.now()],
      );
      return { message: `已暂缓删除${await groupNames(manager, params.roomId, params.externalUserid)}的聊天记录（原因：${body.reason}），解除前不会删除` };
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
