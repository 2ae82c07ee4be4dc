import { spawn } from "node:child_process";
import { freePort, projectRoot } from "../support/processes";

/**
 * `npm run demo -- --serve` as a person uses it: start it, wait for its printed instructions, sign in to the
 * console the way they say (open /console, type the account on the sandbox's WeCom login page, 确认登录) as HR
 * and as the campus head, open pages, sign in to the mini-program API with a WeChat DevTools code, then Ctrl-C.
 */
describe("npm run demo -- --serve", () => {
  it("keeps the world up, lets the printed people sign in, and stops cleanly on Ctrl-C", async () => {
    const port = await freePort();
    let output = "";
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/demo/main.ts", "--serve"], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", TS_NODE_PROJECT: "tsconfig.json", PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 540_000;
      while (!output.includes("演示环境保持运行") && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 500));
      expect(output).toContain("✓ 全部步骤通过");
      const base = `http://127.0.0.1:${port}`;
      expect(output).toContain(`人事台 · console: ${base}/console`);
      expect(output).toContain("刘敏 · 人事（朝阳校区）· HR: 账号 account hr_liu");
      expect(output).toContain("赵明 · 校长（朝阳校区负责人）· campus head: 账号 account zhao_xiaozhang");
      expect(output).toContain("微信开发者工具（企业微信模式）的登录以 王芳（账号 wang_laoshi）进入");

      // HR: the dashboard, the case list, and the case it links to.
      const hr = await signIn(base, "hr_liu");
      expect((await hr.get(`${base}/console`)).status).toBe(200);
      const cases = await hr.get(`${base}/console/cases`);
      expect(cases.status).toBe(200);
      const casePath = /href="(\/console\/cases\/[0-9a-f-]{36})"/.exec(cases.body)?.[1];
      expect(casePath).toBeDefined();
      const casePage = await hr.get(`${base}${casePath}`);
      expect(casePage.status).toBe(200);
      expect(casePage.body).toContain("李静");
      // The campus head: his dashboard and the same case, read-only.
      const head = await signIn(base, "zhao_xiaozhang");
      expect((await head.get(`${base}/console`)).status).toBe(200);
      const headCase = await head.get(`${base}${casePath}`);
      expect(headCase.status).toBe(200);
      expect(headCase.body).toContain("李静");

      // The mini-program, as WeChat DevTools signs in: a code the sandbox never issued.
      const mp = await fetch(`${base}/api/mp/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: "devtools-0a3Bc" }) });
      expect(mp.status).toBe(200);
      expect(((await mp.json()) as { user: { name: string } }).user.name).toBe("王芳");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("已停止 · stopped");
  }, 600_000);
});

/** A browser's cookie jar and redirects, enough for the console's WeCom login through the sandbox's page. */
async function signIn(base: string, account: string) {
  const jar = new Map<string, string>();
  const get = async (url: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; body: string }> => {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, value] = pair!.split("=");
      if (value) jar.set(name!, value);
      else jar.delete(name!);
    }
    return { status: res.status, location: res.headers.get("location"), body: await res.text() };
  };
  // Open the console: it sends the browser to its login, which sends it to the sandbox's WeCom login page.
  let step = await get(`${base}/console`);
  let url = new URL(step.location!, base).toString();
  while ((step = await get(url)).status === 302) url = new URL(step.location!, url).toString();
  expect(step.body).toContain("成员账号");
  const action = /<form method="post" action="([^"]+)"/.exec(step.body)![1]!.replace(/&#38;/g, "&");
  const confirm = await get(new URL(action, url).toString(), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ flow: "web", userid: account, decision: "allow" }).toString(),
  });
  expect(confirm.status).toBe(302);
  // Back at the console's callback, which sets the session and returns to the console.
  const callback = await get(confirm.location!);
  expect(callback.status).toBe(302);
  expect(jar.has("wpg_session")).toBe(true);
  return { get };
}
