import { createDecipheriv, timingSafeEqual } from "node:crypto";
import WXBizMsgCrypt from "wechat-crypto";
import { CallbackRejected } from "./callbackRejected";

/** WeCom pads to a multiple of 32 bytes (not AES's 16), so a pad byte is 1–32. */
const MAX_PAD = 32;
/** random(16) ‖ uint32BE(len(msg)) */
const HEADER_BYTES = 20;
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface EncryptedReply {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

/**
 * WeCom's callback crypto (加解密方案) for one app: signature check, decrypt,
 * encrypt a passive reply. Built on `wechat-crypto` for the key derivation,
 * signature digest and encryption; decryption is done here because the library
 * neither checks the PKCS#7 padding nor the receive id, and compares nothing
 * in constant time.
 */
export class CallbackCrypto {
  private readonly lib: WXBizMsgCrypt;

  constructor(
    token: string,
    encodingAesKey: string,
    private readonly corpId: string,
  ) {
    this.lib = new WXBizMsgCrypt(token, encodingAesKey, corpId);
  }

  /** sha1(sort([token, timestamp, nonce, encrypt])) must equal msg_signature; compared in constant time. */
  verifySignature(signature: string, timestamp: string, nonce: string, encrypt: string): void {
    const expected = Buffer.from(this.lib.getSignature(timestamp, nonce, encrypt), "utf8");
    const given = Buffer.from(signature.toLowerCase(), "utf8");
    // The digest length is public, so an early length mismatch leaks nothing.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CallbackRejected("bad_signature");
    }
  }

  /** Decrypt `Encrypt` (or `echostr`) and return the message, refusing bad padding and other corps' messages. */
  decrypt(encrypt: string): string {
    if (!base64.test(encrypt)) throw new CallbackRejected("malformed_xml");
    const cipherText = Buffer.from(encrypt, "base64");
    if (cipherText.length === 0 || cipherText.length % MAX_PAD !== 0) throw new CallbackRejected("bad_padding");
    const decipher = createDecipheriv("aes-256-cbc", this.lib.key, this.lib.iv);
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);

    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > MAX_PAD) throw new CallbackRejected("bad_padding");
    for (let i = plain.length - pad; i < plain.length; i++) {
      if (plain[i] !== pad) throw new CallbackRejected("bad_padding");
    }
    const end = plain.length - pad;
    if (end < HEADER_BYTES) throw new CallbackRejected("bad_padding");
    const messageEnd = HEADER_BYTES + plain.readUInt32BE(16);
    if (messageEnd > end) throw new CallbackRejected("bad_padding");
    if (plain.toString("utf8", messageEnd, end) !== this.corpId) throw new CallbackRejected("foreign_corp");
    return plain.toString("utf8", HEADER_BYTES, messageEnd);
  }

  /** Encrypt and sign a passive reply (inner XML) for the given timestamp and nonce. */
  encryptReply(message: string, timestamp: string, nonce: string): EncryptedReply {
    const encrypt = this.lib.encrypt(message);
    return { encrypt, signature: this.lib.getSignature(timestamp, nonce, encrypt), timestamp, nonce };
  }
}

/** The passive-reply envelope WeCom expects in the HTTP body. */
export function replyEnvelope(reply: EncryptedReply): string {
  return (
    `<xml><Encrypt><![CDATA[${reply.encrypt}]]></Encrypt>` +
    `<MsgSignature><![CDATA[${reply.signature}]]></MsgSignature>` +
    `<TimeStamp>${reply.timestamp}</TimeStamp>` +
    `<Nonce><![CDATA[${reply.nonce}]]></Nonce></xml>`
  );
}
