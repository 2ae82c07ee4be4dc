import { startConsoleHarness, type ConsoleHarness } from "../console/consoleHarness";
import { json } from "../support/http";

/**
 * Issue 14 break 3: the mini-program login limiter was bypassed by rotating
 * X-Forwarded-For. It now counts per address (the socket's peer unless
 * TRUST_PROXY names the proxy) and per account.
 */
describe("mini-program login limiter", () => {
  const login = (h: ConsoleHarness, userid: string, forwardedFor: string) =>
    fetch(`${h.base}/api/mp/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Forwarded-For": forwardedFor },
      body: JSON.stringify({ code: h.sandbox.actors.miniProgramLogin(userid) }),
    });

  describe("with no proxy trusted (the default)", () => {
    let h: ConsoleHarness;
    beforeAll(async () => {
      h = await startConsoleHarness();
    }, 120_000);
    afterAll(() => h.close());

    it("counts the real peer however the header rotates: the 11th login from one address is refused", async () => {
      const people = ["teacher_a", "t_b", "t_c", "hr_bj", "head_bj", "teacher_s", "hr_sh"];
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await login(h, people[i % people.length]!, `198.51.100.${i + 1}`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429]);
    });
  });

  describe("behind one trusted proxy", () => {
    let h: ConsoleHarness;
    beforeAll(async () => {
      h = await startConsoleHarness({ TRUST_PROXY: "1" });
    }, 120_000);
    afterAll(() => h.close());

    it("counts per account: rotating addresses cannot mint an 11th session for one person, while others still sign in", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await login(h, "teacher_a", `198.51.100.${i + 1}`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429]);
      const refused = await login(h, "teacher_a", "198.51.100.200");
      expect(refused.status).toBe(429);
      expect((await json(refused)).error.message).toBe("登录过于频繁，请稍后再试");
      expect((await login(h, "t_b", "198.51.100.201")).status).toBe(200);
    });
  });
});
