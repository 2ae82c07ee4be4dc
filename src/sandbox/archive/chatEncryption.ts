import { constants, createCipheriv, publicEncrypt, randomBytes, randomInt } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(0, ALPHANUMERIC.length)]).join("");
}

export interface EncryptedChatRecord {
  encrypt_random_key: string;
  encrypt_chat_msg: string;
}

/**
 * The sandbox's stand-in for the Finance SDK wire format (WeCom's own
 * DecryptData cipher is undocumented): the per-message random key is RSA
 * PKCS#1 v1.5 encrypted with the version's public key, as WeCom does; the
 * message is AES-256-GCM under that key's 32 ASCII bytes, as iv(12) ‖ ct ‖ tag(16).
 */
export function encryptChatMessage(publicKeyPem: string, plaintextJson: string): EncryptedChatRecord {
  const randomKey = randomAlphanumeric(32);
  const encryptedKey = publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(randomKey, "ascii"),
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(randomKey, "ascii"), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintextJson, "utf8"), cipher.final()]);
  return {
    encrypt_random_key: encryptedKey.toString("base64"),
    encrypt_chat_msg: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64"),
  };
}
