/** A refusal the sandbox answers as WeCom does: HTTP 200 with `{errcode, errmsg}`. */
export class SandboxApiError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "SandboxApiError";
  }
}

/** WeCom errmsg shape: a reason, a hint and the public error-code lookup link. */
export function errmsgFor(errcode: number, message: string): string {
  if (errcode === 0) return "ok";
  return `${message}, hint: [sandbox], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}
