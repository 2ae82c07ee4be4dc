import { decodeRiskState, encodeRiskState } from "../../src/alerts/detection/riskStateCodec";
import { toWindowMessage } from "../../src/alerts/rules/massMessaging";
import { initialRiskState, type StaffRiskState } from "../../src/alerts/rules/riskDetector";

const message = (msgid: string, text: string | undefined) =>
  toWindowMessage({ kind: "message", msgid, at: new Date("2026-03-02T01:00:00Z"), staffUserId: "t", externalUserIds: ["wmA"], direction: "outbound", msgtype: "text", ...(text === undefined ? {} : { text }) } as never, 1);

describe("risk state as stored (bigrams joined into one string per message)", () => {
  const state: StaffRiskState = {
    ...initialRiskState("t"),
    watermarkMs: 1,
    outbound: [
      message("m1", "各位家长请注意，本校区即将停课，请尽快联系我办理转班"),
      message("m2", "ok 𠀀𠀁 加我微信 abc12"), // a character outside the BMP is one code point, two UTF-16 units
      message("m3", "好"), // one character: a one-element list of one code point
      message("m4", "好的"), // one bigram
      message("m5", undefined), // nothing to compare
    ],
  };

  it("decodes to exactly the state it encoded, and is smaller than the plain JSON", () => {
    expect(state.outbound.map((m) => m.shingles?.length ?? null)).toEqual([expect.any(Number), expect.any(Number), 1, 1, null]);
    const stored = encodeRiskState(state);
    expect(stored.outbound.map((m) => typeof m.shingles)).toEqual(["string", "string", "string", "string", "object"]);
    expect(decodeRiskState(JSON.parse(JSON.stringify(stored)))).toEqual(state);
    expect(stored.outbound.slice(2).map((m) => m.shingles)).toEqual(["好", "好的", null]);
    const bigrams = state.outbound.reduce((n, m) => n + (m.shingles?.length ?? 0), 0);
    // An array of k bigrams is 5k + 1 characters of JSON, the joined string 2k + 2: 3k - 1 saved for each of the four.
    expect(JSON.stringify(state).length - JSON.stringify(stored).length).toBe(3 * bigrams - 4);
  });

  it("still reads a state stored before, with the bigrams as an array", () => {
    expect(decodeRiskState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });
});
