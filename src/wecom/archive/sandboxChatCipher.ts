import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { FinanceSdkError } from "./financeSdkError";

/**
 * The sandbox feed's stand-in for WeCom's undocumented DecryptData:
 * encrypt_chat_msg = base64( iv(12) ‖ AES-256-GCM ciphertext ‖ tag(16) ),
 * key = the 32 ASCII bytes of the random key (the RSA-decrypted
 * encrypt_random_key). Exported both ways so the sandbox server and the tests
 * produce exactly what the sandbox adapter consumes.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyBytes(randomKey: string): Buffer {
  const key = Buffer.from(randomKey, "latin1");
  if (key.length !== 32) throw new FinanceSdkError(10008, "DecryptData", "the random key must be 32 bytes");
  return key;
}

export function sandboxEncryptChatMsg(randomKey: string, plaintextJson: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyBytes(randomKey), iv);
  const body = Buffer.concat([cipher.update(plaintextJson, "utf8"), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64");
}

export function sandboxDecryptChatMsg(randomKey: string, encryptChatMsg: string): string {
  const data = Buffer.from(encryptChatMsg, "base64");
  if (data.length < IV_BYTES + TAG_BYTES) throw new FinanceSdkError(10006, "DecryptData", "ciphertext too short");
  const decipher = createDecipheriv("aes-256-gcm", keyBytes(randomKey), data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new FinanceSdkError(10006, "DecryptData", "ciphertext does not authenticate");
  }
}
