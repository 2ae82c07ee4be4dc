import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { DataKeyError, DataKeyRing, dataKeyRingFromConfig } from "../../src/platform/dataProtection/keyRing";
import { silentLogger } from "../../src/platform/logger";
import { testConfig } from "../support/testConfig";

describe("data key ring", () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it("seals with the active key and opens with the row's key after rotation", () => {
    const before = new DataKeyRing({ k1 }, "k1");
    const sealed = before.seal("家长的消息", "m1");
    expect(sealed.keyId).toBe("k1");
    expect(sealed.ciphertext.includes(Buffer.from("家长的消息"))).toBe(false);
    const after = new DataKeyRing({ k1, k2 }, "k2");
    expect(after.open(sealed, "m1").toString()).toBe("家长的消息");
    const resealed = after.reseal(sealed, "m1");
    expect(resealed.keyId).toBe("k2");
    expect(new DataKeyRing({ k2 }, "k2").open(resealed, "m1").toString()).toBe("家长的消息");
  });

  it("refuses a body moved to another row, a missing key and tampering", () => {
    const ring = new DataKeyRing({ k1 }, "k1");
    const sealed = ring.seal("x", "m1");
    expect(() => ring.open(sealed, "m2")).toThrow(DataKeyError);
    expect(() => ring.open({ ...sealed, keyId: "gone" }, "m1")).toThrow(/not configured/);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[13]! ^= 1;
    expect(() => ring.open({ ciphertext: tampered, keyId: "k1" }, "m1")).toThrow(DataKeyError);
  });

  it("reads DATA_ENCRYPTION_KEYS and DATA_ENCRYPTION_ACTIVE_KEY_ID", () => {
    const config = testConfig({
      DATA_ENCRYPTION_KEYS: JSON.stringify({ k1: k1.toString("base64"), k2: k2.toString("base64") }),
      DATA_ENCRYPTION_ACTIVE_KEY_ID: "k2",
    });
    const ring = dataKeyRingFromConfig(config, silentLogger());
    expect(ring.activeKeyId).toBe("k2");
    expect(ring.keyIds).toEqual(["k1", "k2"]);
    expect(() => dataKeyRingFromConfig(testConfig({ DATA_ENCRYPTION_KEYS: JSON.stringify({ short: "AAAA" }) }), silentLogger())).toThrow(/32 bytes/);
  });

  it("never derives a key: the sandbox mode gets a random one kept in its data folder, a real corp or production none", () => {
    const logger = silentLogger();
    const warn = jest.spyOn(logger, "warn");
    const folder = (name: string) => join(mkdtempSync(join(tmpdir(), `wpg-keys-${name}-`)), "postgres");
    const first = testConfig({ EMBEDDED_PG_DIR: folder("a") });
    const ring = dataKeyRingFromConfig(first, logger);
    expect(ring.activeKeyId).toBe("sandbox-local");
    expect(warn).toHaveBeenCalled();
    // Kept: a restart unseals what was sealed before.
    const sealed = ring.seal(Buffer.from("家长电话 138..."));
    expect(dataKeyRingFromConfig(first, logger).open(sealed).toString()).toBe("家长电话 138...");
    // Random: another data folder cannot open it.
    expect(() => dataKeyRingFromConfig(testConfig({ EMBEDDED_PG_DIR: folder("b") }), logger).open(sealed)).toThrow();
    expect(() => dataKeyRingFromConfig({ ...testConfig(), NODE_ENV: "production" }, logger)).toThrow(/DATA_ENCRYPTION_KEYS is required/);
    expect(() => dataKeyRingFromConfig({ ...testConfig(), WECOM_CORP_ID: "ww1" }, logger)).toThrow(/DATA_ENCRYPTION_KEYS is required/);
  });
});
