import { RiskStateCache } from "../../src/alerts/detection/riskStateCache";
import { initialRiskState } from "../../src/alerts/rules/riskDetector";

describe("this process's copy of risk states", () => {
  it("answers only for the exact version it holds", () => {
    const cache = new RiskStateCache();
    const state = initialRiskState("t1");
    cache.set("t1", "7", state);
    expect(cache.get("t1", "7")).toBe(state);
    expect(cache.get("t1", "8")).toBeUndefined();
    expect(cache.get("t2", "7")).toBeUndefined();
  });

  it("keeps at most its capacity, dropping the least recently used", () => {
    const cache = new RiskStateCache(2);
    cache.set("a", "1", initialRiskState("a"));
    cache.set("b", "2", initialRiskState("b"));
    expect(cache.get("a", "1")).toBeDefined(); // a is now the most recently used
    cache.set("c", "3", initialRiskState("c"));
    expect(cache.size).toBe(2);
    expect(cache.get("b", "2")).toBeUndefined();
    expect(cache.get("a", "1")).toBeDefined();
    expect(cache.get("c", "3")).toBeDefined();
  });
});
