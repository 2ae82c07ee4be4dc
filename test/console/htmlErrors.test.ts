import Koa from "koa";
import type { AddressInfo } from "node:net";
import { htmlErrors } from "../../src/console/htmlErrors";
import { silentLogger } from "../../src/platform/logger";

describe("console error pages", () => {
  it("answers an unexpected failure with a Chinese page naming the request id, and logs it", async () => {
    const logged: unknown[] = [];
    const logger = silentLogger();
    const log = Object.assign(Object.create(logger), { error: (...args: unknown[]) => logged.push(args) });
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.requestId = "req-42";
      ctx.state.log = log;
      await next();
    });
    app.use(htmlErrors(logger));
    app.use(() => {
      throw new Error("database went away");
    });
    const server = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/console`);
      const body = await res.text();
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(body).toContain("<title>出错了 · 家长关系守护</title>");
      expect(body).toContain("服务器处理时出错了，请稍后重试。如果一直出现，请把编号 req-42 告诉 IT。");
      expect(body).not.toMatch(/Internal|error|database went away/i);
      expect(logged).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
