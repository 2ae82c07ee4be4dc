import { StaffDirectory } from "../../org";
import { AppError } from "../../platform/errors";
import type { TemplateCardEvent } from "../../wecom";
import type { InboxHandler } from "../../wecom";
import { alertIdOfTask, FALSE_POSITIVE_KEY, FREEZE_KEY } from "../notifier/alertMessages";
import { freezeAccount, markFalsePositive, type ActionDeps } from "./alertActions";

/**
 * Clicks on alert cards (task ids "alert-<id>"); other capabilities' cards
 * are left alone. Refusals (not HR for that person, unknown alert) are logged
 * and not retried; the card then keeps its buttons.
 */
export function alertCardClickHandler(deps: ActionDeps): InboxHandler<TemplateCardEvent> {
  return async (event, { manager, log }) => {
    const alertId = alertIdOfTask(event.taskId);
    if (!alertId || (event.eventKey !== FREEZE_KEY && event.eventKey !== FALSE_POSITIVE_KEY)) return;
    const actor = await new StaffDirectory(manager).actor(event.from);
    let replaceName: string;
    try {
      if (event.eventKey === FREEZE_KEY) {
        const result = await freezeAccount(manager, deps, actor, alertId, "card");
        replaceName = result.outcome === "it_task" ? "已通知IT停用" : "账号已冻结";
      } else {
        await markFalsePositive(manager, deps.clock, actor, alertId, "卡片标记误报", "card");
        replaceName = "已标记误报";
      }
    } catch (err) {
      if (err instanceof AppError) {
        log.warn({ alertId, userid: event.from, key: event.eventKey, err: err.message }, "alert card click refused");
        return;
      }
      throw err;
    }
    log.info({ alertId, userid: event.from, key: event.eventKey }, "alert card action");
    if (event.responseCode) {
      await deps.client.message
        .updateTemplateCard({ userids: [event.from], response_code: event.responseCode, button: { replace_name: replaceName } })
        .catch((err) => log.warn({ err, alertId }, "alert card not updated (the action itself is recorded)"));
    }
  };
}
