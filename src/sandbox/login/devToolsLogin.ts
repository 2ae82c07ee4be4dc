import type { SandboxState } from "../state/sandboxState";
import type { User } from "../state/types";

/** Why a member cannot be the one DevTools signs in as: the same reach WeCom's login pages enforce (path/91019). */
export function devToolsMemberProblem(state: SandboxState, userid: string): string | undefined {
  const member = state.users.get(userid);
  if (!member || member.leftAt !== undefined) return `成员 ${userid} 不在本企业`;
  if (member.status !== 1) return `成员 ${member.name} 的账号未启用`;
  return undefined;
}

/**
 * WeChat DevTools in 企业微信模式 hands the mini-program a `wx.qy.login` code the sandbox never issued (real
 * WeCom's, or the simulator's own), so `jscode2session` cannot know whose it is. In local development only — the
 * sandbox is started with this part by the built-in sandbox, `npm run sandbox` and `npm run demo -- --serve`,
 * never by production, which talks to qyapi.weixin.qq.com — the developer chooses which sandbox member such a
 * code signs in as (SANDBOX_DEVTOOLS_USER, or the sandbox's page /sandbox/devtools-login). Each code still works
 * once, like WeCom's ("有效期五分钟", single use: developers.weixin.qq.com …/qywx-api/login/wxqylogin.html).
 */
export class DevToolsLogin {
  private member: string | undefined;
  private readonly spent = new Set<string>();

  constructor(
    private readonly state: SandboxState,
    signInAs: string | undefined,
  ) {
    this.member = signInAs;
  }

  /** The member DevTools' codes sign in as, if one is chosen and may sign in. */
  get signsInAs(): User | undefined {
    if (this.member === undefined || devToolsMemberProblem(this.state, this.member)) return undefined;
    return this.state.users.get(this.member);
  }

  /** The account chosen, even one that can no longer sign in (the page says why). */
  get chosen(): string | undefined {
    return this.member;
  }

  /** Chooses the member; answers why not when they cannot sign in. */
  choose(userid: string): string | undefined {
    const problem = devToolsMemberProblem(this.state, userid);
    if (!problem) this.member = userid;
    return problem;
  }

  /** The member a code the sandbox never issued signs in as, once per code; undefined when none is chosen or the code was used. */
  redeem(code: string): string | undefined {
    const member = this.signsInAs;
    if (!member || this.spent.has(code)) return undefined;
    this.spent.add(code);
    return member.userid;
  }
}
