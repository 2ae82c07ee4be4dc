import { quotaApplies, sendsParentMessage, transferModeFor } from "../../../src/handover/rules/transferMode";

describe("transferModeFor", () => {
  test.each([
    [1, "on_job"],
    [2, "on_job"],
    [4, "on_job"],
    [5, "resigned"],
  ] as const)("WeCom status %i → %s", (status, mode) => {
    expect(transferModeFor(status)).toBe(mode);
    expect(quotaApplies(mode)).toBe(mode === "on_job");
    expect(sendsParentMessage(mode)).toBe(mode === "on_job");
  });
});
