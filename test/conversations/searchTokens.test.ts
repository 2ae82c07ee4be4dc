import { randomBytes } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { highlight } from "../../src/conversations/queries/searchArchive";
import { normalizeText } from "../../src/conversations/searchIndex/normalizeText";
import { confirms, parseQuery, UnsearchableQueryError } from "../../src/conversations/searchIndex/parseQuery";
import { SearchIndexKeys, searchIndexKeysFromConfig } from "../../src/conversations/searchIndex/searchIndexKeys";
import { documentTokens, termTokens } from "../../src/conversations/searchIndex/tokenize";
import { silentLogger } from "../../src/platform/logger";
import { testConfig } from "../support/testConfig";

describe("blind index tokens (pure)", () => {
  it("normalises width, case and traditional characters the same way for messages and queries", () => {
    expect(normalizeText("請加我ＷｅＣｈａｔ，退費１２３")).toBe("请加我wechat,退费123");
    expect(normalizeText("發個紅包")).toBe("发个红包");
  });

  it("splits Han runs into overlapping bigrams, lone Han characters into unigrams, letters and digits into words", () => {
    expect(documentTokens("加我微信")).toEqual(["b:加我", "b:我微", "b:微信"]);
    expect(documentTokens("第12题 wechat号abc")).toEqual(["u:第", "w:12", "u:题", "w:wechat", "u:号", "w:abc"]);
    expect(documentTokens("好好好好")).toEqual(["b:好好"]);
    expect(documentTokens("，。！")).toEqual([]);
  });

  it("asks only for tokens a containing message must have: a bigram split anywhere, edge runs that may continue", () => {
    // 3 characters: starts in the middle of the message's bigram 加我|我微|微信.
    expect(termTokens("我微信")).toEqual(["b:我微", "b:微信"]);
    // A lone character at the edge may be part of a longer run in the message (第12题目).
    expect(termTokens("12题")).toEqual(["w:12"]);
    expect(termTokens("a题b")).toEqual(["w:a", "u:题", "w:b"]);
    expect(termTokens("题")).toEqual([]);
  });

  it("refuses a query no term of which can use the index, and confirms every term on the decrypted text", () => {
    expect(() => parseQuery("题")).toThrow(UnsearchableQueryError);
    expect(() => parseQuery("，，")).toThrow(UnsearchableQueryError);
    const q = parseQuery("  退費 加我ＷＥＣＨＡＴ ");
    expect(q.terms).toEqual(["退费", "加我wechat"]);
    expect(q.tokens).toEqual(["b:退费", "b:加我", "w:wechat"]);
    expect(confirms(normalizeText("退费的事加我WeChat说"), q.terms)).toBe(true);
    expect(confirms(normalizeText("加我，我的wechat，退费"), q.terms)).toBe(false);
  });

  it("keys tokens with HMAC under a key id: different keys give unrelated values, sorted and distinct", () => {
    const keys = new SearchIndexKeys({ a: randomBytes(32), b: randomBytes(32) }, "a");
    const tokens = ["b:加我", "b:我微", "b:微信", "b:加我"];
    const a = keys.hashAll("a", tokens);
    expect(a).toHaveLength(3);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(a.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
    expect(keys.hashAll("b", tokens)).not.toEqual(a);
    expect(() => keys.hash("zz", "b:加我")).toThrow('search index key "zz" is not configured');
    expect(() => new SearchIndexKeys({ a: randomBytes(16) }, "a")).toThrow(/at least 32 bytes/);
  });

  it("reads SEARCH_INDEX_KEYS; in the sandbox mode without them uses a random key kept in the data folder, never a derived one", () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    const keys = searchIndexKeysFromConfig(testConfig({ SEARCH_INDEX_KEYS: JSON.stringify({ k1, k2 }), SEARCH_INDEX_ACTIVE_KEY_ID: "k2" }), silentLogger());
    expect(keys.keyIds).toEqual(["k1", "k2"]);
    expect(keys.activeKeyId).toBe("k2");
    const folderA = join(mkdtempSync(join(tmpdir(), "wpg-index-key-")), "postgres");
    const folderB = join(mkdtempSync(join(tmpdir(), "wpg-index-key-")), "postgres");
    const first = searchIndexKeysFromConfig(testConfig({ EMBEDDED_PG_DIR: folderA }), silentLogger());
    const restarted = searchIndexKeysFromConfig(testConfig({ EMBEDDED_PG_DIR: folderA }), silentLogger());
    const elsewhere = searchIndexKeysFromConfig(testConfig({ EMBEDDED_PG_DIR: folderB }), silentLogger());
    expect(first.activeKeyId).toBe("sandbox-local");
    // A restart keeps the key (no re-index of the whole archive); another data folder has its own random one.
    expect(restarted.hash("sandbox-local", "b:加我")).toBe(first.hash("sandbox-local", "b:加我"));
    expect(elsewhere.hash("sandbox-local", "b:加我")).not.toBe(first.hash("sandbox-local", "b:加我"));
    expect(statSync(join(dirname(folderA), "secrets", "search-index-key")).mode & 0o777).toBe(0o600);
    expect(() => searchIndexKeysFromConfig(testConfig({ SEARCH_INDEX_KEYS: "[1]" }), silentLogger())).toThrow(/JSON object/);
    // With real WeCom settings a caller that bypassed config is refused here too.
    expect(() => searchIndexKeysFromConfig({ ...testConfig({ WECOM_CORP_ID: "ww1" }), SEARCH_INDEX_KEYS: undefined }, silentLogger())).toThrow(
      "SEARCH_INDEX_KEYS is required when WeCom settings are configured and in production",
    );
  });

  it("cuts the context around the hit from the original text", () => {
    const text = "家长您好，退費的事情请加我微信详谈";
    expect(highlight(text, normalizeText(text), "退费")).toEqual({ before: "家长您好，", match: "退費", after: "的事情请加我微信详谈" });
  });
});
