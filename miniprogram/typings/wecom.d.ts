// WeCom (企业微信) adds `wx.qy.*` to the mini-program runtime; the official WeChat typings do not describe it.
declare namespace WechatMiniprogram {
  interface QyLoginSuccess {
    code: string;
    errMsg: string;
  }
  interface Qy {
    login(options: {
      success?: (res: QyLoginSuccess) => void;
      fail?: (err: GeneralCallbackResult) => void;
    }): void;
  }
  interface Wx {
    /** Present only when running inside WeCom (or DevTools in 企业微信模式). */
    qy?: Qy;
  }
}
