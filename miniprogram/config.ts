/**
 * Where the mini-program finds the server.
 *
 * Local development: run `npm start` (no WeCom settings → built-in WeCom sandbox) and keep
 * http://127.0.0.1:3000 below; in WeChat DevTools tick 详情 → 本地设置 → 「不校验合法域名…」.
 * On a phone use your computer's LAN address instead of 127.0.0.1.
 * Production: the HTTPS origin registered as the mini-program's request 合法域名.
 */
export const config = {
  baseUrl: "http://127.0.0.1:3000",
  requestTimeoutMs: 15_000,
} as const;
