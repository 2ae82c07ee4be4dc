import { templateCardEvent } from "../../src/sandbox/callbacks/events";
import { eventXml } from "../../src/sandbox/callbacks/eventXml";
import { parseEvent } from "../../src/wecom/events/parseEvent";

/** template_card_event carries SelectedItems for a card with a selection; the sandbox sends them, our parser reads them. */
describe("template_card_event SelectedItems", () => {
  const base = { userid: "hr_a", agentId: 1000002, taskId: "alert-7", cardType: "button_interaction", buttonKey: "freeze", responseCode: "rc-1" };
  const xmlOf = (e: ReturnType<typeof templateCardEvent>) =>
    eventXml([["ToUserName", "wwsandbox"], ["FromUserName", e.from], ["CreateTime", 1772413200], ...e.fields]);

  it("a card with a selection: QuestionKey and the picked OptionId reach the parsed event", () => {
    const event = parseEvent(xmlOf(templateCardEvent({ ...base, selected: [{ questionKey: "reason", optionIds: ["leaving"] }] })));
    expect(event).toMatchObject({ type: "template_card_event", taskId: "alert-7", eventKey: "freeze", selectedItems: [{ questionKey: "reason", optionIds: ["leaving"] }] });
  });

  it("a card without one carries no SelectedItems", () => {
    const xml = xmlOf(templateCardEvent(base));
    expect(xml).not.toContain("SelectedItems");
    expect(parseEvent(xml)).toMatchObject({ selectedItems: [] });
  });
});
