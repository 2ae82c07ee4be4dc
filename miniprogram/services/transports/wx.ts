import { TransportError } from "../apiError";
import type { HttpTransport, KeyValueStorage } from "../api";

/** Mini-program adapters for the API client. `wx` is read at call time so tests can stub it. */

export const wxTransport: HttpTransport = (req) =>
  new Promise((resolve, reject) => {
    wx.request({
      url: req.url,
      method: req.method,
      header: req.header,
      data: req.data as WechatMiniprogram.IAnyObject | undefined,
      timeout: req.timeoutMs,
      dataType: "json",
      success: (res) =>
        resolve({ statusCode: res.statusCode, data: res.data, header: res.header as Record<string, string> }),
      fail: (err) => reject(new TransportError(/timeout|超时/i.test(err.errMsg) ? "timeout" : "network", err.errMsg)),
    });
  });

export function wxQyLogin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const qy = wx.qy;
    // Plain WeChat has no wx.qy; only WeCom (or DevTools in 企业微信模式) can log in.
    if (!qy) return reject(new Error("wx.qy is unavailable outside WeCom"));
    qy.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new Error(res.errMsg))),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

export const wxStorage: KeyValueStorage = {
  get: (key) => {
    const value: unknown = wx.getStorageSync(key);
    return typeof value === "string" && value ? value : null;
  },
  set: (key, value) => wx.setStorageSync(key, value),
  remove: (key) => wx.removeStorageSync(key),
};
