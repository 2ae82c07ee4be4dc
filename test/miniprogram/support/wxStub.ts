/**
 * A stubbed `wx` global: every API the pages use, as jest mocks. Tests replace
 * individual members (e.g. `wx.request.mockImplementation`) as they need.
 */
export type Route = (req: { method: string; url: string; data: any; header: Record<string, string> }) => {
  statusCode: number;
  data: unknown;
  header?: Record<string, string>;
};

export interface FakeCanvas {
  width: number;
  height: number;
  ctx: Record<string, jest.Mock | unknown>;
  getContext: jest.Mock;
  toDataURL: jest.Mock;
}

export function fakeCanvas(dataUrl = "data:image/png;base64,iVBORw0KGgo="): FakeCanvas {
  const ctx: Record<string, jest.Mock | unknown> = {};
  for (const m of ["scale", "beginPath", "moveTo", "lineTo", "stroke", "clearRect", "fillRect", "fillText", "measureText"]) {
    ctx[m] = jest.fn((text?: string) => (m === "measureText" ? { width: String(text ?? "").length * 14 } : undefined));
  }
  const canvas: FakeCanvas = { width: 0, height: 0, ctx, getContext: jest.fn(() => ctx), toDataURL: jest.fn(() => dataUrl) };
  return canvas;
}

/** Makes `createSelectorQuery().select(...).fields(...).exec(cb)` on a component instance find `canvas`. */
export function provideCanvas(instance: any, canvas: FakeCanvas): void {
  instance.createSelectorQuery = () => {
    const chain = {
      select: () => chain,
      fields: () => chain,
      exec: (cb: (res: unknown[]) => void) => cb([{ node: canvas, width: 300, height: 180 }]),
    };
    return chain;
  };
}

export function installWx(route: Route, user = { userid: "li.ming", name: "李明" }) {
  const storage = new Map<string, unknown>();
  const wx = {
    qy: { login: jest.fn((o: any) => o.success({ code: "wecom-code", errMsg: "qy.login:ok" })) },
    request: jest.fn((o: any) => {
      const path = String(o.url).replace(/^https?:\/\/[^/]+/, "");
      if (path === "/api/mp/login") {
        return o.success({ statusCode: 200, header: {}, data: { token: "tok", expiresAt: "2030-01-01T00:00:00Z", user } });
      }
      let res;
      try {
        res = route({ method: o.method, url: path, data: o.data, header: o.header });
      } catch (err) {
        return o.fail({ errMsg: `request:fail ${String(err)}` });
      }
      o.success({ header: {}, ...res });
    }),
    getStorageSync: jest.fn((k: string) => storage.get(k) ?? ""),
    setStorageSync: jest.fn((k: string, v: unknown) => storage.set(k, v)),
    removeStorageSync: jest.fn((k: string) => storage.delete(k)),
    showToast: jest.fn(),
    showModal: jest.fn((o: any) => o.success?.({ confirm: true, cancel: false, content: o.editable ? "计划有变" : "" })),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    setClipboardData: jest.fn((o: any) => o.success?.({})),
    saveImageToPhotosAlbum: jest.fn((o: any) => o.success?.({})),
    canvasToTempFilePath: jest.fn((o: any) => o.success?.({ tempFilePath: "wxfile://tmp/cert.png" })),
    getWindowInfo: jest.fn(() => ({ pixelRatio: 2, windowWidth: 375 })),
    getDeviceInfo: jest.fn(() => ({ model: "iPhone 15", system: "iOS 17.4", platform: "ios" })),
    getAppBaseInfo: jest.fn(() => ({ version: "4.1.0" })),
  };
  (globalThis as any).wx = wx;
  return wx;
}

export const json = (statusCode: number, data: unknown, header?: Record<string, string>) => ({ statusCode, data, header });

export const apiError = (statusCode: number, code: string, message: string, details?: { path: string; message: string }[]) =>
  json(statusCode, { error: { code, message, ...(details ? { details } : {}) } });
