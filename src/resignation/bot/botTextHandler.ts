import { formatDateZh, fromInstant } from "../../platform/localDate";
import { StaffDirectory } from "../../org";
import type { TextMessage } from "../../wecom";
import type { InboxHandler } from "../../wecom";
import { earliestFor } from "../commands/earliest";
import type { ResignationDeps } from "../deps";
import { enqueueMessage } from "../outbox/outbox";
import { STATE_LABELS } from "../rules/caseStateMachine";
import { recogniseIntent } from "../rules/botIntent";
import { openCaseOf } from "../store/caseStore";
import { mpPagePath } from "../../../miniprogram/pagePaths";
import { openMiniProgramMessage } from "./openMiniProgram";

/**
 * A member texting the app. "离职" and close variants get a card that opens
 * the resignation page with their lawful earliest last day; "进度" gets the
 * case status. Replies are queued in the inbox row's transaction, so a
 * redelivered callback never answers twice. Anything else is left alone.
 */
export function botTextHandler(deps: ResignationDeps): InboxHandler<TextMessage> {
  return async (event, { manager }) => {
    const intent = recogniseIntent(event.content);
    if (intent.intent === "none") return;
    const now = deps.clock.now();
    const userid = event.from;
    const staff = await new StaffDirectory(manager).find(userid);
    if (!staff) return;
    const open = await openCaseOf(manager, userid);
    const reply = (content: string) => enqueueMessage(manager, open?.id ?? null, "bot_reply", { type: "text", touser: [userid], content }, now);

    switch (intent.intent) {
      case "start_resignation": {
        if (open) return reply(`您已有进行中的离职申请（${STATE_LABELS[open.state]}），最后工作日为${formatDateZh(open.lastDay)}。回复“进度”可查看详情。`);
        if (intent.confidence === "implicit") {
          return reply("如果您想办理离职，请回复“离职”，我会发给您离职办理入口。系统不会因为这条消息自动发起任何流程。");
        }
        const earliest = earliestFor(staff, fromInstant(now));
        const basis = earliest.inProbation ? "试用期提前3日通知" : "提前30日书面通知";
        return enqueueMessage(
          manager,
          null,
          "bot_reply",
          openMiniProgramMessage(userid, deps.miniProgramAppId, {
            title: "离职办理",
            description: "填写并签署通知",
            items: [
              { key: "最早离职日", value: formatDateZh(earliest.lastDay) },
              { key: "依据", value: `劳动合同法第37条：${basis}` },
            ],
            textFallback: `您今天提出离职，依法最早可于${formatDateZh(earliest.lastDay)}离职（${basis}，《劳动合同法》第三十七条）。请在工作台打开“离职办理”填写并签署书面离职通知。`,
          }, mpPagePath("start")),
          now,
        );
      }
      case "resignation_status":
        if (!open) return reply("您目前没有进行中的离职申请。");
        return reply(`您的离职申请：${STATE_LABELS[open.state]}。最后工作日：${formatDateZh(open.lastDay)}。详情请打开“离职办理”小程序查看。`);
      case "withdraw_resignation":
        if (!open) return reply("您目前没有进行中的离职申请。");
        return reply("如需撤回离职申请，请打开“离职办理”小程序，在申请详情中点击“撤回”。");
      case "certificate_question":
        return reply("离职证明在最后工作日开具，不以交接完成为条件；开具后会通过企业微信发送给您，也可在“离职办理”小程序中查看。");
    }
  };
}
