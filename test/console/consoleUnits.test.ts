import { newLoginState, sameLoginState } from "../../src/console/auth/loginState";
import { safeNextPath } from "../../src/console/auth/safeNextPath";
import { weComAuthorizeUrl, weComWebLoginUrl } from "../../src/wecom/login/loginUrls";
import { barChart } from "../../src/console/views/barChart";
import { Names } from "../../src/console/presenters/names";
import { caseView } from "../../src/console/views/caseViews";
import { html } from "../../src/console/views/html";

describe("console building blocks", () => {
  it("escapes every interpolated value unless it is already markup", () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>`,
    );
    expect(html`<ul>${["a", "<b>"].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe("<ul><li>a</li><li>&lt;b&gt;</li></ul>");
    expect(html`${null}${undefined}${false}${0}`.value).toBe("0");
  });

  const entry = { corpId: "ww123", agentId: 1000002, oauthBase: "https://open.weixin.qq.com", webLoginBase: "https://login.work.weixin.qq.com" };

  it("builds WeCom's snsapi_base authorize URL with the #wechat_redirect fragment (path/91022)", () => {
    const url = weComAuthorizeUrl(entry, "https://hr.example.com/console/oauth/callback", "s1");
    expect(url).toBe(
      "https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww123&redirect_uri=https%3A%2F%2Fhr.example.com%2Fconsole%2Foauth%2Fcallback&response_type=code&scope=snsapi_base&state=s1&agentid=1000002#wechat_redirect",
    );
  });

  it("builds WeCom's desktop Web login URL: CorpApp, CorpID as appid, agentid, no fragment (path/98152)", () => {
    const url = weComWebLoginUrl(entry, "https://hr.example.com/console/oauth/callback", "s1");
    expect(url).toBe(
      "https://login.work.weixin.qq.com/wwlogin/sso/login?login_type=CorpApp&appid=ww123&agentid=1000002&redirect_uri=https%3A%2F%2Fhr.example.com%2Fconsole%2Foauth%2Fcallback&state=s1&lang=zh",
    );
  });

  it("makes login states in WeCom's alphabet a-zA-Z0-9 (path/91022), fresh each time, compared exactly", () => {
    const states = Array.from({ length: 200 }, () => newLoginState());
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Set(states).size).toBe(200);
    const s = states[0]!;
    expect(sameLoginState(s, s)).toBe(true);
    expect(sameLoginState(s, `${s.slice(0, -1)}${s.endsWith("a") ? "b" : "a"}`)).toBe(false);
    expect(sameLoginState(undefined, s)).toBe(false);
    expect(sameLoginState("", "")).toBe(false);
    expect(sameLoginState("a-b", "a-b")).toBe(false);
  });

  it("only returns to console paths after login", () => {
    expect(safeNextPath("/console/cases/1?x=1")).toBe("/console/cases/1?x=1");
    for (const bad of ["https://evil.example", "//evil.example/console", "/console//evil", "/api/hr/cases", "/consolex", undefined, ["/console"]]) {
      expect(safeNextPath(bad)).toBe("/console");
    }
  });

  it("draws bars proportional to the largest value, with the numbers as text", () => {
    const svg = barChart("转接结果", [{ label: "已完成", value: 4 }, { label: "家长拒绝", value: 2 }]).value;
    expect(svg).toContain('aria-label="转接结果"');
    expect(svg.match(/<rect [^>]*width="(\d+)"/g)?.map((r) => Number(/width="(\d+)"/.exec(r)![1]))).toEqual([200, 100]);
    expect(barChart("空", []).value).toContain("暂无数据");
  });

  it("shows who signed the handover checklist and which reminders went out", () => {
    const page = caseView(
      {
        case: {
          id: "c1", status: "handover_in_progress", statusLabel: "交接中", requestedLastDay: null, lastDay: "2026-04-01", employeeUserid: "teacher_a", employeeName: "张老师",
          noticeDate: "2026-03-02", reasonCategory: "relocation", reasonText: "", noticeSigned: true, certificateIssued: false,
          approvals: [], timeline: [], transfers: { total: 0, done: 0, waiting: 0, failed: 0 },
        },
        checklist: {
          items: [{ id: "i1", kind: "devices_returned", title: "归还设备", owner: "it", auto: false, done: true, doneAt: "2026-03-20T02:00:00Z", verifiedBy: "IT 小李" }],
          signatures: [{ role: "receiver", roleLabel: "接收人", name: "王老师<b>", signedAt: "2026-03-21T02:00:00Z" }],
          complete: false,
        },
        reminders: [{ subjectKind: "checklist_signature", recipientUserid: "t_c", kind: "escalation", seq: 3, recipients: ["head_bj"], queuedAt: "2026-03-22T01:00:00Z" }],
        board: undefined,
        names: Names.of({ head_bj: "北京校长", it_1: "IT 小李" }),
      },
      undefined,
      html``,
    ).value;
    expect(page).toContain("接收人：王老师&lt;b&gt;，2026/3/21 10:00:00");
    expect(page).toContain("IT 小李 确认 · 2026/3/20 10:00:00");
    expect(page).toMatch(/交接清单签字<\/td><td>升级<\/td><td>北京校长/);
  });
});
