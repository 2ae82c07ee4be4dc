/** The part of npm `wechat-crypto` (untyped, CommonJS) that CallbackCrypto uses. */
declare module "wechat-crypto" {
  class WXBizMsgCrypt {
    constructor(token: string, encodingAESKey: string, id: string);
    readonly key: Buffer;
    readonly iv: Buffer;
    getSignature(timestamp: string, nonce: string, encrypt: string): string;
    encrypt(text: string): string;
    decrypt(text: string): { message: string; id: string };
  }
  export = WXBizMsgCrypt;
}
