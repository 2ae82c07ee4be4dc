/**
 * Where the mini-program finds the server, chosen by which version is running
 * (`wx.getAccountInfoSync().miniProgram.envVersion`: develop / trial / release,
 * base library ≥ 2.10.0 — developers.weixin.qq.com/miniprogram/dev/api/open-api/account-info/wx.getAccountInfoSync.html).
 *
 * - develop (DevTools, 开发版): `npm start` on this computer (no WeCom settings → built-in WeCom sandbox).
 *   In WeChat DevTools tick 详情 → 本地设置 → 「不校验合法域名…」; on a phone use the computer's LAN address.
 * - trial (体验版) and release (正式版): the HTTPS origins registered as the mini-program's request 合法域名.
 *   Replace the two example origins below with yours before uploading.
 *
 * Review (审核) runs the uploaded code as "develop" (a long-standing WeChat community report), so a build sent
 * for review must point develop at a reachable origin too: set `reviewBuild` to true in that build.
 */
export type EnvVersion = "develop" | "trial" | "release";

export const API_BASES: Record<EnvVersion, string> = {
  develop: "http://127.0.0.1:3000",
  trial: "https://guard-trial.example.com",
  release: "https://guard.example.com",
};

/** True in the build uploaded for review: develop then talks to the trial origin instead of this computer. */
export const reviewBuild = false;

/** The API origin for a running version; an unknown or missing version (base library < 2.10.0) is treated as release. */
export function apiBaseFor(envVersion: string | undefined, bases: Record<EnvVersion, string> = API_BASES, review = reviewBuild): string {
  if (envVersion === "develop") return review ? bases.trial : bases.develop;
  if (envVersion === "trial") return bases.trial;
  return bases.release;
}

/** The running version, as WeChat reports it (undefined where the API is missing). */
export function runningEnvVersion(): string | undefined {
  return typeof wx !== "undefined" && typeof wx.getAccountInfoSync === "function" ? wx.getAccountInfoSync().miniProgram.envVersion : undefined;
}

export const config = {
  requestTimeoutMs: 15_000,
} as const;
