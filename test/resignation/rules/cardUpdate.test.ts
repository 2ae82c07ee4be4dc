import { decidedInConsoleSentence } from "../../../src/resignation/cards/approvalCard";
import { cardUpdateVerdict, RESPONSE_CODE_LIFETIME_MS } from "../../../src/wecom";

describe("whether an approval card can still be updated with its sending's code", () => {
  const issuedAt = new Date("2026-03-02T01:00:00Z");
  const at = (ms: number) => new Date(issuedAt.getTime() + ms);

  it("is usable once, within 72 h less a 10-minute margin", () => {
    expect(cardUpdateVerdict({ issuedAt, usedAt: null }, at(0))).toBe("usable");
    expect(cardUpdateVerdict({ issuedAt, usedAt: null }, at(RESPONSE_CODE_LIFETIME_MS - 10 * 60_000 - 1))).toBe("usable");
    expect(cardUpdateVerdict({ issuedAt, usedAt: null }, at(RESPONSE_CODE_LIFETIME_MS - 10 * 60_000))).toBe("expired");
    expect(cardUpdateVerdict({ issuedAt, usedAt: null }, at(73 * 3_600_000))).toBe("expired");
    expect(cardUpdateVerdict({ issuedAt, usedAt: at(1000) }, at(2000))).toBe("used");
    expect(cardUpdateVerdict(null, at(0))).toBe("no_code");
  });

  it("tells a late clicker who decided in the console and when, in Beijing time", () => {
    expect(decidedInConsoleSentence("北京校长", "approved", new Date("2026-03-05T02:00:00Z"))).toBe("北京校长已于3月5日 10:00在控制台同意该环节，无需再次操作。");
    expect(decidedInConsoleSentence(null, "rejected", new Date("2026-12-31T16:05:00Z"))).toBe("审批人已于1月1日 00:05在控制台驳回该环节，无需再次操作。");
  });
});
