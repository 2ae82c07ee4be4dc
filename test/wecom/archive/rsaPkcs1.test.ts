import { constants, publicEncrypt } from "node:crypto";
import { randomBytes } from "node:crypto";
import { decryptRandomKey, parseArchivePrivateKeys, rsaDecryptPkcs1v15, RsaDecryptError, unpadPkcs1v15 } from "../../../src/wecom/archive/rsaPkcs1";
import { InlineRandomKeyDecryptor, WorkerRandomKeyDecryptor } from "../../../src/wecom/archive/randomKeyDecryptor";
import { randomKey, rsaPair, sealRandomKey } from "../../conversations/support/archiveFixtures";

const block = (bytes: number[], len = 32) => {
  const b = new Uint8Array(len).fill(0x11);
  bytes.forEach((v, i) => (b[i] = v));
  return b;
};

describe("PKCS#1 v1.5 unpadding", () => {
  it("returns the message after 00 02 PS 00", () => {
    const b = block([0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x41, 0x42]);
    expect(Buffer.from(unpadPkcs1v15(b.subarray(0, 13))!).toString()).toBe("AB");
  });

  it("rejects a wrong leading byte or block type", () => {
    expect(unpadPkcs1v15(block([0x01, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x41]))).toBeUndefined();
    expect(unpadPkcs1v15(block([0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x41]))).toBeUndefined();
  });

  it("rejects padding shorter than 8 bytes and a missing separator", () => {
    expect(unpadPkcs1v15(block([0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 0x00, 0x41]))).toBeUndefined();
    expect(unpadPkcs1v15(block([0x00, 0x02]))).toBeUndefined();
  });

  it("accepts an empty message", () => {
    const b = block([0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0x00], 11);
    expect(unpadPkcs1v15(b)!.length).toBe(0);
  });
});

describe("RSA decryption of encrypt_random_key", () => {
  const pair = rsaPair();

  it("decrypts what PKCS#1 v1.5 public encryption produced", () => {
    const sealed = Buffer.from(sealRandomKey(pair.publicKey, "0123456789abcdef0123456789abcdef"), "base64");
    expect(rsaDecryptPkcs1v15(pair.privateKey, sealed).toString()).toBe("0123456789abcdef0123456789abcdef");
  });

  it("rejects a ciphertext made with other padding", () => {
    const oaep = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from("x"));
    expect(() => rsaDecryptPkcs1v15(pair.privateKey, oaep)).toThrow(RsaDecryptError);
  });

  it("names an unknown publickey_ver", () => {
    expect(decryptRandomKey(new Map(), { publickeyVer: 7, encryptedKey: "AA==" })).toEqual({ error: "unknown publickey_ver 7" });
  });

  it("reads keys per version from config without echoing a bad PEM", () => {
    const keys = parseArchivePrivateKeys(JSON.stringify({ "3": pair.privatePem }));
    expect([...keys.keys()]).toEqual([3]);
    expect(() => parseArchivePrivateKeys(JSON.stringify({ "4": "-----BEGIN secret-material" }))).toThrow(/entry "4" is not a valid private key$/);
  });

  it("gives the same results on worker threads as inline", async () => {
    const keys = new Map([[1, pair.privateKey]]);
    const plain = Array.from({ length: 9 }, () => randomKey());
    const items = [
      ...plain.map((k) => ({ publickeyVer: 1, encryptedKey: sealRandomKey(pair.publicKey, k) })),
      { publickeyVer: 2, encryptedKey: "AA==" },
      { publickeyVer: 1, encryptedKey: randomBytes(256).toString("base64") },
    ];
    const pool = new WorkerRandomKeyDecryptor(keys, 2);
    try {
      const viaWorkers = await pool.decryptBatch(items);
      expect(viaWorkers).toEqual(await new InlineRandomKeyDecryptor(keys).decryptBatch(items));
      expect(viaWorkers.slice(0, 9)).toEqual(plain.map((randomKey) => ({ randomKey })));
      expect(viaWorkers[9]).toEqual({ error: "unknown publickey_ver 2" });
      expect(viaWorkers[10]).toEqual({ error: expect.stringMatching(/^RSA decryption failed/) });
    } finally {
      await pool.close();
    }
  });
});
