import { createApiClient, type HttpRequest, type HttpResponse } from "../../miniprogram/services/api";
import { ApiError, TransportError } from "../../miniprogram/services/apiError";
import { memoryStorage } from "../../miniprogram/services/transports/fetch";
import { checklistRows, serverCase, serverCertificate, serverChecklist, serverNotice, serverOverview } from "./support/serverFixtures";

type Handler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

function json(statusCode: number, data: unknown, header: Record<string, string> = {}): HttpResponse {
  return { statusCode, data, header };
}

function setup(handler: Handler) {
  const requests: HttpRequest[] = [];
  let codes = 0;
  const login = jest.fn(async () => `code-${++codes}`);
  let tokens = 0;
  const client = createApiClient({
    baseUrl: "http://mp.test/",
    storage: memoryStorage(),
    login,
    request: async (req) => {
      requests.push(req);
      if (req.url.endsWith("/api/mp/login")) {
        const { code } = req.data as { code: string };
        return json(200, { token: `t${++tokens}-${code}`, expiresAt: "2030-01-01T00:00:00Z", user: { userid: "li", name: "李老师" } });
      }
      return handler(req);
    },
  });
  return { client, requests, login };
}

// Answers made by the server's presenters (support/serverFixtures): the client is fed only what the server sends.
const overview = serverOverview(null, "2025-11-22");

describe("mini-program API client", () => {
  it("logs in with the WeCom code first, then sends the bearer token", async () => {
    const { client, requests, login } = setup(() => json(200, overview));
    await expect(client.getOverview()).resolves.toEqual(overview);
    expect(login).toHaveBeenCalledTimes(1);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST http://mp.test/api/mp/login",
      "GET http://mp.test/api/mp/resignation/overview",
    ]);
    expect(requests[0]!.data).toEqual({ code: "code-1" });
    expect(requests[1]!.header.Authorization).toBe("Bearer t1-code-1");
    expect(client.currentUser()).toEqual({ userid: "li", name: "李老师" });

    await client.getOverview();
    expect(login).toHaveBeenCalledTimes(1); // session reused from storage
  });

  it("on 401 logs in again and retries exactly once", async () => {
    let calls = 0;
    const { client, requests, login } = setup((req) => {
      calls++;
      return req.header.Authorization === "Bearer t2-code-2"
        ? json(200, overview)
        : json(401, { error: { code: "unauthenticated", message: "请重新登录" } });
    });
    await client.login();
    await expect(client.getOverview()).resolves.toEqual(overview);
    expect(login).toHaveBeenCalledTimes(2);
    expect(calls).toBe(2);
    expect(requests.filter((r) => r.url.endsWith("/overview")).map((r) => r.header.Authorization)).toEqual([
      "Bearer t1-code-1",
      "Bearer t2-code-2",
    ]);
  });

  it("gives up after the one retry and forgets the session", async () => {
    let calls = 0;
    const { client, login } = setup(() => {
      calls++;
      return json(401, { error: { code: "unauthenticated", message: "登录已过期" } });
    });
    await expect(client.getOverview()).rejects.toMatchObject({ status: 401, message: "登录已过期" });
    expect(calls).toBe(2);
    expect(login).toHaveBeenCalledTimes(2);
    expect(client.currentUser()).toBeNull();
  });

  it("concurrent 401s share one re-login", async () => {
    const { client, login } = setup((req) =>
      req.header.Authorization === "Bearer t1-code-1" ? json(401, {}) : json(200, overview),
    );
    await client.login();
    await Promise.all([client.getOverview(), client.getOverview(), client.getOverview()]);
    expect(login).toHaveBeenCalledTimes(2);
  });

  it("maps a failed wx.qy.login to a gentle Chinese message", async () => {
    const client = createApiClient({
      baseUrl: "http://mp.test",
      storage: memoryStorage(),
      login: async () => {
        throw new Error("qy unavailable");
      },
      request: async () => json(200, {}),
    });
    await expect(client.getOverview()).rejects.toMatchObject({ code: "login_failed", status: 0 });
  });

  describe("error mapping", () => {
    async function failWith(res: HttpResponse | Error): Promise<ApiError> {
      const { client } = setup(() => {
        if (res instanceof Error) throw res;
        return res;
      });
      const err = await client.getOverview().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      return err as ApiError;
    }

    it("network failure", async () => {
      const err = await failWith(new TransportError("network"));
      expect(err).toMatchObject({ status: 0, code: "network" });
      expect(err.message).toContain("网络");
    });

    it("timeout", async () => {
      const err = await failWith(new TransportError("timeout"));
      expect(err).toMatchObject({ status: 0, code: "timeout" });
      expect(err.message).toContain("稍后");
    });

    it("429 with Retry-After", async () => {
      const err = await failWith(json(429, { error: { code: "rate_limited", message: "x" } }, { "retry-after": "12" }));
      expect(err).toMatchObject({ status: 429, retryAfterSeconds: 12, message: "操作有些频繁，请 12 秒后再试" });
    });

    it("5xx is generic, never the server's text", async () => {
      const err = await failWith(json(500, { error: { code: "internal", message: "TypeError: boom (request abc)" } }));
      expect(err.status).toBe(500);
      expect(err.message).toBe("服务暂时不可用，请稍后再试。你填写的内容不会丢失");
    });

    it("server-provided message and field details otherwise", async () => {
      const err = await failWith(
        json(400, {
          error: {
            code: "validation_failed",
            message: "请检查填写的内容",
            details: [{ path: "requestedLastDay", message: "最后工作日不能早于 2025-12-22" }, { path: ["reasonText"], message: "请填写原因" }],
          },
        }),
      );
      expect(err).toMatchObject({ status: 400, code: "validation_failed", message: "请检查填写的内容" });
      expect(err.fieldErrors()).toEqual({ requestedLastDay: "最后工作日不能早于 2025-12-22", reasonText: "请填写原因" });
    });

    it("falls back to a status message when the body is not the error shape", async () => {
      const err = await failWith(json(404, "<html>not found</html>"));
      expect(err).toMatchObject({ status: 404, code: "http_404", message: "没有找到相关内容" });
    });
  });

  it("typed calls hit the contract's paths and unwrap the payload", async () => {
    const theCase = serverCase();
    const notice = serverNotice();
    const checklist = serverChecklist(checklistRows({ classes: [{ classId: "c3-2", name: "三年二班", studentCount: 40 }] }), [], "handover");
    const certificate = serverCertificate();
    const { client, requests } = setup((req) => {
      const p = req.url.replace("http://mp.test", "");
      if (p.endsWith("/notice") || p.endsWith("/notice/sign")) return json(200, { notice });
      if (p.includes("/checklist")) return json(200, { checklist });
      if (p.endsWith("/certificate")) return json(200, { certificate });
      return json(p === "/api/mp/resignations" ? 201 : 200, { case: theCase });
    });
    const sig = { typedName: "李老师", signatureImage: "data:image/png;base64,AA==", confirm: true as const };
    await expect(
      client.startResignation({ reasonCategory: "personal_development", reasonText: "深造", requestedLastDay: "2025-12-31", handoverNotes: "" }),
    ).resolves.toEqual(theCase);
    await expect(client.getCase("c/1")).resolves.toEqual(theCase);
    await expect(client.getNotice("c/1")).resolves.toEqual(notice);
    await expect(
      client.signNotice("c/1", { ...sig, device: { model: "iPhone", system: "iOS 17", platform: "ios", version: "4.1" } }),
    ).resolves.toEqual(notice);
    await expect(client.getChecklist("c/1")).resolves.toEqual(checklist);
    await expect(client.markChecklistItemDone("c/1", "i1", "已交")).resolves.toEqual(checklist);
    await expect(client.signChecklist("c/1", sig)).resolves.toEqual(checklist);
    await expect(client.withdraw("c/1", "改变主意")).resolves.toEqual(theCase);
    await expect(client.getCertificate("c/1")).resolves.toEqual(certificate);
    expect(requests.slice(1).map((r) => `${r.method} ${r.url.replace("http://mp.test", "")} ${JSON.stringify(r.data ?? null)}`)).toEqual([
      'POST /api/mp/resignations {"reasonCategory":"personal_development","reasonText":"深造","requestedLastDay":"2025-12-31","handoverNotes":""}',
      "GET /api/mp/resignations/c%2F1 null",
      "GET /api/mp/resignations/c%2F1/notice null",
      'POST /api/mp/resignations/c%2F1/notice/sign {"typedName":"李老师","signatureImage":"data:image/png;base64,AA==","confirm":true,"device":{"model":"iPhone","system":"iOS 17","platform":"ios","version":"4.1"}}',
      "GET /api/mp/resignations/c%2F1/checklist null",
      'POST /api/mp/resignations/c%2F1/checklist/items/i1/done {"note":"已交"}',
      'POST /api/mp/resignations/c%2F1/checklist/sign {"typedName":"李老师","signatureImage":"data:image/png;base64,AA==","confirm":true}',
      'POST /api/mp/resignations/c%2F1/withdraw {"reason":"改变主意"}',
      "GET /api/mp/resignations/c%2F1/certificate null",
    ]);
  });
});
