import { randomBytes } from "node:crypto";
import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { RateWindow } from "../state/rateWindow";
import { INTERACTIVE_CARDS, validateAppMessage, validateTemplateCard } from "./messageValidation";
import { integer, object, optionalString, requiredString, stringList } from "./params";
import { AGENT, type SandboxRoute } from "./route";

function splitIds(value: unknown, field: string, max: number): string[] {
  const text = optionalString(value, field);
  if (text === undefined) return [];
  const ids = text.split("|").filter(Boolean);
  if (ids.length > max) throw new SandboxApiError(ERR.invalidParameter, `${field}: at most ${max}`);
  return ids;
}

/** The request JSON with its keys sorted, so equal content compares equal whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** message/send and message/update_template_card (reference §3, path/90236 and 94888). */
export function appMessageRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock, corp, codes } = core;
  // WeCom silently drops messages beyond 30/min and 1000/hour to one member.
  const perMinute = new RateWindow(clock, 60_000, 30);
  const perHour = new RateWindow(clock, 3_600_000, 1000);

  function checkAgent(agentid: unknown): void {
    if (integer(agentid, "agentid") !== corp.agentId) throw new SandboxApiError(ERR.invalidAgentId, "invalid agentid");
  }

  function recipients(body: Record<string, unknown>) {
    const toAll = body.touser === "@all";
    const users = toAll ? [] : splitIds(body.touser, "touser", 1000);
    const parties = splitIds(body.toparty, "toparty", 100);
    const tags = splitIds(body.totag, "totag", 100);
    const valid = new Set<string>(toAll ? [...state.users.values()].filter((u) => u.status === 1).map((u) => u.userid) : []);
    const invalidUsers = users.filter((id) => !state.activeUser(id));
    users.filter((id) => state.activeUser(id)).forEach((id) => valid.add(id));
    const invalidParties = parties.filter((id) => !state.departments.has(Number(id)));
    for (const id of parties.filter((p) => state.departments.has(Number(p)))) {
      state.departmentSubtree(Number(id)).flatMap((d) => state.departmentMembers(d)).filter((u) => u.status === 1).forEach((u) => valid.add(u.userid));
    }
    // The sandbox corp has no tags, so every tag id is invalid.
    return { toAll, valid: [...valid], invalidUsers, invalidParties, invalidTags: tags };
  }

  const send: SandboxRoute = {
    method: "POST",
    path: "/cgi-bin/message/send",
    grants: AGENT,
    handle: ({ body }) => {
      checkAgent(body.agentid);
      const msgtype = requiredString(body.msgtype, "msgtype");
      const to = recipients(body);
      if (!to.toAll && !body.touser && !body.toparty && !body.totag) {
        throw new SandboxApiError(ERR.invalidParameter, "touser, toparty and totag are all empty");
      }
      validateAppMessage(msgtype, body, state, to.toAll);
      // Duplicate check (path/90236: "enable_duplicate_check 表示是否开启重复消息检查，0表示否，1表示是，默认0;
      // duplicate_check_interval 默认1800s，最大不超过4小时" — quoted in WxJava issue #1915; "同样内容（请求json）
      // 的消息，不会重复收到" in the wechat_sdk docs of WeChat.Work.Message): the identical request JSON within the
      // interval reaches nobody. Tencent documents no errcode for it, so the sandbox answers success, with the
      // earlier message's msgid (our assumption), and checks it before the task_id rule.
      const requestJson = canonicalJson(body);
      if (Number(body.enable_duplicate_check) === 1) {
        const interval = Math.min(integer(body.duplicate_check_interval, "duplicate_check_interval", { min: 1, fallback: 1800 }), 4 * 3600);
        const since = clock.now().getTime() - interval * 1000;
        const earlier = state.messages.find((m) => !m.duplicateOf && m.at.getTime() >= since && canonicalJson(m.body) === requestJson);
        if (earlier) {
          state.messages.push({ msgid: earlier.msgid, at: clock.now(), msgtype, body, deliveredTo: [], droppedFor: [], invalidUsers: [], duplicateOf: earlier.msgid });
          return { invaliduser: "", invalidparty: "", invalidtag: "", unlicenseduser: "", msgid: earlier.msgid };
        }
      }
      const card = msgtype === "template_card" ? object(body.template_card, "template_card") : undefined;
      const taskId = card?.task_id as string | undefined;
      if (taskId && state.messages.some((m) => m.taskId === taskId && !m.duplicateOf)) {
        throw new SandboxApiError(ERR.duplicateTaskId, "task_id already used by this app");
      }
      const invalid = {
        invaliduser: to.invalidUsers.join("|"),
        invalidparty: to.invalidParties.join("|"),
        invalidtag: to.invalidTags.join("|"),
        unlicenseduser: "",
      };
      if (to.valid.length === 0) throw new SandboxApiError(ERR.allRecipientsInvalid, "all recipients invalid", invalid);
      const msgid = randomBytes(24).toString("base64url");
      const deliveredTo = to.valid.filter((u) => perMinute.tryHit(u) && perHour.tryHit(u));
      state.messages.push({
        msgid,
        at: clock.now(),
        msgtype,
        body,
        deliveredTo,
        droppedFor: to.valid.filter((u) => !deliveredTo.includes(u)),
        invalidUsers: to.invalidUsers,
        taskId,
      });
      const interactive = card && INTERACTIVE_CARDS.includes(card.card_type as string);
      return {
        ...invalid,
        msgid,
        ...(interactive ? { response_code: codes.responseCodes.issue({ taskId: taskId!, msgid }) } : {}),
      };
    },
  };

  const updateCard: SandboxRoute = {
    method: "POST",
    path: "/cgi-bin/message/update_template_card",
    grants: AGENT,
    handle: ({ body }) => {
      checkAgent(body.agentid);
      const responseCode = requiredString(body.response_code, "response_code");
      const userids = stringList(body.userids, "userids", 1000);
      if (body.template_card !== undefined) validateTemplateCard(object(body.template_card, "template_card"));
      else requiredString(object(body.button, "button").replace_name, "button.replace_name");
      const target = codes.responseCodes.consume(responseCode);
      if (!target) throw new SandboxApiError(ERR.invalidResponseCode, "response_code invalid, used or expired");
      state.templateCardUpdates.push({ at: clock.now(), responseCode, taskId: target.taskId, body });
      // "更新按钮为不可点击状态" (button.replace_name), or a new card whose replace_text greys its buttons: those
      // members' buttons no longer work (path/94888). atall: everyone the card went to.
      const greys = body.template_card === undefined || typeof object(body.template_card, "template_card").replace_text === "string";
      if (greys) {
        const sentTo = state.messages.find((m) => m.msgid === target.msgid)?.deliveredTo ?? [];
        const greyed = state.greyedCards.get(target.taskId) ?? new Set<string>();
        for (const id of Number(body.atall) === 1 ? sentTo : userids) greyed.add(id);
        state.greyedCards.set(target.taskId, greyed);
      }
      return { invaliduser: userids.filter((id) => !state.users.has(id)) };
    },
  };

  return [send, updateCard];
}
