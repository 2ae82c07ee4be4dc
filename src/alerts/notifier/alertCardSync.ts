import type { EntityManager } from "typeorm";
import { StaffDirectory } from "../../org";
import { cardUpdateVerdict, enqueueWeComMessage, type CardUpdateVerdict, type OutboxOutcome } from "../../wecom";
import { ALERTS_TOPIC } from "./alertOutbox";

/** A card update that never reached WeCom is given up after this many attempts (its code may lapse anyway). */
const GIVE_UP_AFTER = 6;

/**
 * An alert's card went out: the response_code message/send answered it with is kept, to grey the card out
 * when HR acts on the alert in the console (once, within 72 h: path/90236, path/94888).
 */
export async function recordAlertOutcome(m: EntityManager, o: OutboxOutcome): Promise<void> {
  const responseCode = o.detail?.responseCode;
  if (o.outcome !== "sent" || !responseCode || typeof o.ref.alertId !== "string") return;
  await m.query(`INSERT INTO alert_card_code (alert_id, response_code, issued_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [o.ref.alertId, responseCode, o.at]);
}

/**
 * HR froze the account or marked a false positive in the console: the alert's card, still showing 冻结账号 /
 * 标记误报 to everyone it went to, is greyed out with `replaceName` (update_template_card atall=1, "更新整个任务
 * 接收人员", path/94888) using the send's code — once, within its 72 hours. Otherwise nothing is tried (the
 * verdict says why); a later click is answered with its own code (alertCardClickHandler).
 */
export async function syncAlertCard(m: EntityManager, alertId: string, replaceName: string, now: Date): Promise<CardUpdateVerdict> {
  const rows: { response_code: string; issued_at: Date; used_at: Date | null }[] = await m.query(
    `SELECT response_code, issued_at, used_at FROM alert_card_code WHERE alert_id = $1 FOR UPDATE`,
    [alertId],
  );
  const code = rows[0];
  const verdict = cardUpdateVerdict(code ? { issuedAt: code.issued_at, usedAt: code.used_at } : null, now);
  if (verdict !== "usable") return verdict;
  await m.query(`UPDATE alert_card_code SET used_at = $2, used_for = $3 WHERE alert_id = $1`, [alertId, now, replaceName]);
  await answerAlertCard(m, alertId, { atall: true, responseCode: code!.response_code, replaceName }, now);
  return verdict;
}

/** Greys an alert card's buttons out with `replaceName`, for `userids` or everyone it went to, through the one outbox. */
export async function answerAlertCard(
  m: EntityManager,
  alertId: string,
  update: { responseCode: string; replaceName: string } & ({ atall: true } | { userids: string[] }),
  now: Date,
): Promise<void> {
  await enqueueWeComMessage(
    m,
    {
      topic: ALERTS_TOPIC,
      ref: { alertId, purpose: "card_update" },
      message: { type: "update_card", userids: "userids" in update ? update.userids : [], ...("atall" in update ? { atall: true } : {}), responseCode: update.responseCode, replaceName: update.replaceName },
      duplicateCheck: false,
      giveUpAfter: GIVE_UP_AFTER,
    },
    now,
  );
}

const DONE = { freeze: "已冻结", freeze_it_task: "已通知IT停用", false_positive: "已标记误报" } as const;

/**
 * What a click on an alert already handled is answered with: who did what, and where — "已冻结（刘敏，控制台）",
 * "已按设置自动冻结" — so a second HR member's or a late click is told, and changes nothing.
 */
export async function handledLabel(m: EntityManager, alertId: string): Promise<string> {
  const [last]: { action: keyof typeof DONE | "unfreeze"; actor_userid: string; via: string }[] = await m.query(
    `SELECT action, actor_userid, via FROM alert_action WHERE alert_id = $1 ORDER BY id DESC LIMIT 1`,
    [alertId],
  );
  if (!last || last.action === "unfreeze") return "已处理";
  if (last.via === "auto") return `已按设置自动${DONE[last.action].slice(1)}`;
  const name = (await new StaffDirectory(m).find(last.actor_userid))?.name ?? "人事";
  return `${DONE[last.action]}（${name}${last.via === "console" ? "，控制台" : ""}）`;
}
