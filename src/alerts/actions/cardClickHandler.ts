import { StaffDirectory } from "../../org";
import { AppError } from "../../platform/errors";
import type { TemplateCardEvent } from "../../wecom";
import type { InboxHandler } from "../../wecom";
import { answerAlertCard, handledLabel } from "../notifier/alertCardSync";
import { alertIdOfTask, FALSE_POSITIVE_KEY, FREEZE_KEY } from "../notifier/alertMessages";
import { dismissAlert, freezeAlert, loadAuthorizedAlert, type ActionDeps } from "./alertActions";

/**
 * Clicks on alert cards (task ids "alert-<id>"); other capabilities' cards
 * are left alone. An alert already handled (in the console, by another HR
 * member, by the branch's automatic freeze) changes nothing: the card is
 * answered with who did what. Refusals (not HR for that person, unknown alert)
 * are logged and not retried; the card then keeps its buttons. The card is
 * answered with the click's own ResponseCode, through the one outbox.
 */
export function alertCardClickHandler(deps: ActionDeps): InboxHandler<TemplateCardEvent> {
  return async (event, { manager, log }) => {
    const alertId = alertIdOfTask(event.taskId);
    if (!alertId || (event.eventKey !== FREEZE_KEY && event.eventKey !== FALSE_POSITIVE_KEY)) return;
    const actor = await new StaffDirectory(manager).actor(event.from);
    let replaceName: string;
    try {
      const alert = await loadAuthorizedAlert(manager, actor, event.eventKey === FREEZE_KEY ? "freeze" : "dismiss", alertId, { lock: true });
      if (alert.status !== "open") {
        replaceName = await handledLabel(manager, alertId);
        log.info({ alertId, userid: event.from, key: event.eventKey, status: alert.status }, "alert card clicked after the alert was handled");
      } else if (event.eventKey === FREEZE_KEY) {
        const result = await freezeAlert(manager, deps, actor, alert, "card");
        replaceName = result.outcome === "it_task" ? "已通知IT停用" : "账号已冻结";
      } else {
        await dismissAlert(manager, deps.clock, actor, alert, "卡片标记误报", "card");
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
    if (event.responseCode) await answerAlertCard(manager, alertId, { userids: [event.from], responseCode: event.responseCode, replaceName }, deps.clock.now());
  };
}
