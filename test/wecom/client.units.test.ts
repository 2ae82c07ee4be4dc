import { WeComApiError, WeComConfigurationError, WeComTransportError, asConfigurationError } from "../../src/wecom/client/errors";
import { charCount, utf8Bytes } from "../../src/wecom/client/limits";
import { weComClientSettingsFromConfig } from "../../src/wecom/client/settings";
import { resolveCredential, secretFingerprint } from "../../src/wecom/client/tokens/credentials";
import { needsRefresh, refreshDueAt } from "../../src/wecom/client/tokens/tokenFreshness";
import { backoffDelayMs, isTransient } from "../../src/wecom/client/transport/retryPolicy";
import { Semaphore } from "../../src/wecom/client/transport/semaphore";
import { TokenBucket } from "../../src/wecom/client/transport/tokenBucket";
import { testConfig } from "../support/testConfig";
import { VirtualTime } from "./support/clientHarness";

describe("token freshness", () => {
  const fetchedAt = new Date("2026-03-02T09:00:00Z");
  const at = (seconds: number) => new Date(fetchedAt.getTime() + seconds * 1000);

  it("a 7200 s token is due at 90% of its life (6480 s)", () => {
    const token = { fetchedAt, expiresAt: at(7200) };
    expect(refreshDueAt(token)).toEqual(at(6480));
    expect(needsRefresh(token, at(6479))).toBe(false);
    expect(needsRefresh(token, at(6480))).toBe(true);
  });

  it("a 1200 s token is due 5 minutes before expiry (900 s), earlier than 90%", () => {
    expect(refreshDueAt({ fetchedAt, expiresAt: at(1200) })).toEqual(at(900));
  });

  it("no token needs a fetch", () => {
    expect(needsRefresh(undefined, fetchedAt)).toBe(true);
  });
});

describe("retry policy", () => {
  it("full jitter stays under min(cap, base·2^n)", () => {
    const options = { baseMs: 200, capMs: 5000 };
    expect(backoffDelayMs(0, options, () => 0.999)).toBe(199);
    expect(backoffDelayMs(3, options, () => 0.999)).toBe(1598);
    expect(backoffDelayMs(10, options, () => 0.999)).toBe(4995);
    expect(backoffDelayMs(10, options, () => 0)).toBe(0);
  });

  it("retries only busy/limit errcodes, 5xx, timeouts and network errors", () => {
    for (const code of [-1, 45009, 45033]) expect(isTransient(new WeComApiError("/x", code, ""))).toBe(true);
    for (const code of [40014, 40001, 60020, 81013, 48002]) expect(isTransient(new WeComApiError("/x", code, ""))).toBe(false);
    expect(isTransient(new WeComTransportError("/x", "http_status", "", 503))).toBe(true);
    expect(isTransient(new WeComTransportError("/x", "http_status", "", 404))).toBe(false);
    expect(isTransient(new WeComTransportError("/x", "timeout", ""))).toBe(true);
    expect(isTransient(new WeComTransportError("/x", "network", ""))).toBe(true);
    expect(isTransient(new WeComTransportError("/x", "malformed", ""))).toBe(false);
    expect(isTransient(new Error("bug"))).toBe(false);
  });
});

describe("token bucket", () => {
  it("lets the burst through, then spaces callers at the rate, in arrival order", async () => {
    const time = new VirtualTime();
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, time);
    const granted: Array<[number, number]> = [];
    await Promise.all(Array.from({ length: 7 }, (_, i) => bucket.acquire().then(() => granted.push([i, time.now()]))));
    expect(granted).toEqual([[0, 0], [1, 0], [2, 0], [3, 500], [4, 1000], [5, 1500], [6, 2000]]);
  });

  it("refills while idle, up to the burst", async () => {
    const time = new VirtualTime();
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, time);
    await bucket.acquire();
    await bucket.acquire();
    time.current += 10_000;
    await bucket.acquire();
    await bucket.acquire();
    expect(time.sleeps).toEqual([]);
    await bucket.acquire();
    expect(time.sleeps).toEqual([100]);
  });
});

describe("semaphore", () => {
  it("never runs more than its capacity and runs everything", async () => {
    const semaphore = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        semaphore.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("releases the slot when work fails", async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    await expect(semaphore.run(async () => "next")).resolves.toBe("next");
  });
});

describe("limits counting", () => {
  it("counts UTF-8 bytes and code points", () => {
    expect(utf8Bytes("家长a")).toBe(7);
    expect(charCount("家长👍")).toBe(3);
  });
});

describe("credentials", () => {
  const settings = { corpId: "ww1", apiBase: "http://x", agentId: 1, secrets: { agent: "A", archive: "R" } };

  it("customer falls back to the agent secret; contact has no fallback", () => {
    expect(resolveCredential(settings, "customer")).toMatchObject({ kind: "agent", secret: "A" });
    expect(() => resolveCredential(settings, "contact")).toThrow(/no contact secret configured \(WECOM_CONTACT_SECRET is unset\)/);
  });

  it("fingerprints are sha256 hex and differ per secret", () => {
    expect(secretFingerprint("A")).toMatch(/^[0-9a-f]{64}$/);
    expect(secretFingerprint("A")).not.toBe(secretFingerprint("B"));
  });
});

describe("configuration errors", () => {
  it("maps 40001/40013/60020 and leaves other errcodes alone", () => {
    expect(asConfigurationError(new WeComApiError("/cgi-bin/gettoken", 40001, "invalid credential"), "archive")).toMatchObject({
      message: expect.stringContaining("invalid secret for archive: check WECOM_ARCHIVE_SECRET"),
    });
    expect(asConfigurationError(new WeComApiError("/x", 40013, ""), "agent")).toBeInstanceOf(WeComConfigurationError);
    const other = new WeComApiError("/x", 48002, "api forbidden");
    expect(asConfigurationError(other, "agent")).toBe(other);
  });
});

describe("settings from Config", () => {
  it("derives settings for a real corp", () => {
    const config = testConfig({
      WECOM_CORP_ID: "ww1",
      WECOM_AGENT_ID: "1000002",
      WECOM_AGENT_SECRET: "A",
      WECOM_ARCHIVE_SECRET: "R",
      WECOM_API_BASE: "http://127.0.0.1:3900",
    });
    expect(weComClientSettingsFromConfig(config)).toEqual({
      corpId: "ww1",
      apiBase: "http://127.0.0.1:3900",
      agentId: 1000002,
      secrets: { agent: "A", contact: undefined, customer: undefined, archive: "R" },
      robotWebhookKey: undefined,
    });
  });

  it("names what is missing", () => {
    expect(() => weComClientSettingsFromConfig(testConfig())).toThrow(/WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_AGENT_SECRET/);
  });
});
