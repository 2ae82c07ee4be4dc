import { dismissAlert, freezeAlert } from "../../src/alerts/actions/alertActions";
import { getAlert } from "../../src/alerts/store/alertStore";
import { StaffDirectory } from "../../src/org";
import type { WeComEvent } from "../../src/wecom/events/types";
import { PARENTS, startAlertsHarness, type AlertsHarness } from "./alertsHarness";

const SLANDER = "各位家长，本机构退费困难、师资造假，建议大家尽快申请退费并转到其他机构学习";
const UPDATE = "/cgi-bin/message/update_template_card";

/**
 * Issue 15, for alert cards: HR freezing the account or marking a false positive in the console greys the
 * card's buttons out too, with the code message/send answered the card with (once, 72 h, for everyone the
 * card went to); a card clicked after the alert was handled is answered with its own code, saying who did
 * what, and changes nothing — a late 标记误报 never turns a frozen account's alert into a false positive.
 */
describe("alert cards follow what HR did in the console", () => {
  let h: AlertsHarness;
  beforeAll(async () => {
    h = await startAlertsHarness();
  });
  afterAll(() => h.close());

  /** An alert for `teacher` mass-messaging slander, its card sent to HR; the alert and the code WeCom answered the card with. */
  async function alertWithCard(teacher: string): Promise<{ id: string; code: string }> {
    for (let i = 0; i < 30; i++) {
      h.clock.advance(10_000);
      h.sandbox.actors.chat({ from: teacher, to: PARENTS[i]!, content: SLANDER });
    }
    await h.archive();
    await h.outbox.drain();
    const [alert] = await h.dataSource.query(`SELECT id FROM alert WHERE staff_userid = $1 AND kind = 'mass_messaging'`, [teacher]);
    const [kept] = await h.dataSource.query(`SELECT response_code FROM alert_card_code WHERE alert_id = $1`, [alert.id]);
    return { id: alert.id, code: kept.response_code };
  }
  const asConsole = (act: (m: import("typeorm").EntityManager, alertId: string) => Promise<unknown>, alertId: string) =>
    h.dataSource.transaction(async (m) => act(m, alertId));
  const hr = (m: import("typeorm").EntityManager) => new StaffDirectory(m).actor("hr_bj");
  const click = (alertId: string, key: string, responseCode: string): WeComEvent => ({
    type: "template_card_event", corpId: "ww", from: "hr_bj", createTime: 0, eventKey: key, taskId: `alert-${alertId}`, selectedItems: [], responseCode,
  });

  it("a console freeze greys the card out for everyone it went to, once, with the send's code", async () => {
    const { id, code } = await alertWithCard("teacher_a");
    const sentCode = (h.sandbox.calls.callsTo("/cgi-bin/message/send").find((c) => JSON.stringify(c.body).includes(`alert-${id}`))!.response as { response_code: string }).response_code;
    expect(code).toBe(sentCode);
    await asConsole(async (m, alertId) => freezeAlert(m, { client: h.client, clock: h.clock }, await hr(m), (await getAlert(m, alertId, { lock: true }))!, "console"), id);
    await h.outbox.drain();
    expect(h.sandbox.calls.callsTo(UPDATE).map((c) => [c.body, c.errcode])).toEqual([
      [{ atall: 1, response_code: code, button: { replace_name: "已冻结（控制台）" }, agentid: expect.any(Number) }, 0],
    ]);
    expect(() => h.sandbox.actors.clickTemplateCardButton("hr_bj", `alert-${id}`, "false_positive")).toThrow("greyed out");
    expect(await h.dataSource.query(`SELECT used_for FROM alert_card_code WHERE alert_id = $1`, [id])).toEqual([{ used_for: "已冻结（控制台）" }]);
  });

  it("after 72 h nothing is tried; a late click is answered with its own code and changes nothing", async () => {
    const { id } = await alertWithCard("teacher_b");
    h.clock.advanceHours(73);
    await asConsole(async (m, alertId) => dismissAlert(m, h.clock, await hr(m), (await getAlert(m, alertId, { lock: true }))!, "正常的课程通知", "console"), id);
    await h.outbox.drain();
    expect(h.sandbox.calls.callsTo(UPDATE)).toHaveLength(1);

    // HR taps 冻结账号 on the old card: told it was marked a false positive, by whom and where; nothing is frozen.
    const delivery = await h.sandbox.actors.clickTemplateCardButton("hr_bj", `alert-${id}`, "freeze");
    const clickCode = /<ResponseCode><!\[CDATA\[(.*?)]]>/.exec(delivery.xml)![1]!;
    await h.dispatch(click(id, "freeze", clickCode));
    await h.outbox.drain();
    expect(h.sandbox.calls.callsTo(UPDATE).slice(1).map((c) => [c.body, c.errcode])).toEqual([
      [{ userids: ["hr_bj"], response_code: clickCode, button: { replace_name: "已标记误报（北京人事，控制台）" }, agentid: expect.any(Number) }, 0],
    ]);
    expect((await h.dataSource.query(`SELECT status FROM alert WHERE id = $1`, [id]))[0].status).toBe("false_positive");
    expect(h.sandbox.state.users.get("teacher_b")!.status).toBe(1);
    expect(await h.dataSource.query(`SELECT action, via FROM alert_action WHERE alert_id = $1 ORDER BY id`, [id])).toEqual([{ action: "false_positive", via: "console" }]);
  });
});
