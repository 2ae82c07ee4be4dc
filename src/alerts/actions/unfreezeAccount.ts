import type { EntityManager } from "typeorm";
import type { Actor } from "../../org";
import { ConflictError } from "../../platform/errors";
import { appendDossier } from "../../dossier";
import type { AlertRow } from "../store/alertStore";
import type { ActionDeps, Via } from "./alertActions";

/**
 * Undoes a freeze: re-enables the WeCom account (user/update enable=1, the
 * same contacts-secret call as the freeze — 更新成员
 * https://developer.work.weixin.qq.com/document/path/90197 "enable: 启用/禁用成员。1表示启用成员，0表示禁用成员")
 * and reopens the alert for HR's decision. Whoever may freeze may unfreeze
 * (the route loads the alert authorized for "freeze"); the reason is required
 * and recorded, in the dossier too when a case is open.
 */
export async function unfreezeAlert(m: EntityManager, deps: ActionDeps, actor: Actor, alert: AlertRow, reason: string, via: Via): Promise<{ status: "open" }> {
  if (alert.status !== "frozen") throw new ConflictError(alert.status === "freeze_pending_it" ? "账号尚待 IT 冻结，请先联系 IT 取消该任务" : "该账号未被冻结");
  await deps.client.user.update({ userid: alert.staffUserId, enable: 1 });
  const now = deps.clock.now();
  await m.query(`UPDATE alert SET status = 'open' WHERE id = $1`, [alert.id]);
  await m.query(`INSERT INTO alert_action (alert_id, action, actor_userid, via, reason, at) VALUES ($1, 'unfreeze', $2, $3, $4, $5)`, [alert.id, actor.userid, via, reason, now]);
  if (alert.caseId) {
    await appendDossier(m, alert.caseId, now, "account_unfreeze", { type: "staff", id: actor.userid }, { alertId: alert.id, staffUserId: alert.staffUserId, reason });
  }
  return { status: "open" };
}
