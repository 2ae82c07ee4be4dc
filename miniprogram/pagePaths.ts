/**
 * Every page of the mini-program that something outside it opens: the
 * server's bot replies and notices link here, and the pages navigate with
 * them. Shared by the server (src/resignation/bot/openMiniProgram.ts) and the
 * mini-program, and checked against app.json by test/miniprogram/pagePaths.test.ts,
 * so a link can never point at a page that does not exist.
 * Paths are as WeCom's miniprogram_notice `page` field wants them: no leading slash.
 */
export const MP_PAGES = {
  progress: "pages/resign/progress/index",
  start: "pages/resign/start/index",
  sign: "pages/resign/sign/index",
  checklist: "pages/resign/checklist/index",
  certificate: "pages/resign/certificate/index",
  settlement: "pages/resign/settlement/index",
  workRules: "pages/onboarding/rules/index",
} as const;

export type MpPage = keyof typeof MP_PAGES;

/** A page with its query, e.g. `pages/resign/sign/index?id=…` (the notice's `page` field, or a navigateTo url without the slash). */
export function mpPagePath(page: MpPage, query: Record<string, string> = {}): string {
  const pairs = Object.keys(query).map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k] as string)}`);
  return pairs.length > 0 ? `${MP_PAGES[page]}?${pairs.join("&")}` : MP_PAGES[page];
}

/** The url wx.navigateTo / wx.redirectTo take (absolute, with a leading slash). */
export function mpPageUrl(page: MpPage, query: Record<string, string> = {}): string {
  return `/${mpPagePath(page, query)}`;
}
