import { canonicalHash, canonicalJson, NotCanonicalizable, sha256Hex } from "../../src/dossier/canonicalJson";

describe("canonical JSON (RFC 8785 for our value domain)", () => {
  it("sorts keys at every depth and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("is independent of key insertion order", () => {
    expect(canonicalHash({ x: 1, y: "二" })).toBe(canonicalHash({ y: "二", x: 1 }));
  });

  it("sorts by UTF-16 code units as JCS requires", () => {
    // RFC 8785 §3.2.3 example ordering: "\r" < "1" < "\u0080" < "\u00f6" < "\u20ac" < "\ud83d\ude00" < "\ufb33"
    const keys = ["\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6"];
    const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
    const expected = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"];
    // Compare the text: Object.keys on a parsed object would move the integer-like key "1" first.
    expect(canonicalJson(obj)).toBe(`{${expected.map((k) => `${JSON.stringify(k)}:${keys.indexOf(k)}`).join(",")}}`);
  });

  it("serialises numbers and strings like ECMAScript", () => {
    expect(canonicalJson([1e21, 0.1, -0, 100, 1.5e-7])).toBe("[1e+21,0.1,0,100,1.5e-7]");
    expect(canonicalJson("离职\n\"通知\"")).toBe('"离职\\n\\"通知\\""');
  });

  it("hashes the same before and after a JSON round trip (undefined properties are left out)", () => {
    const record = { name: "张三", note: undefined, nested: { a: undefined, b: 2 } };
    expect(canonicalJson(record)).toBe('{"name":"张三","nested":{"b":2}}');
    expect(canonicalHash(record)).toBe(canonicalHash(JSON.parse(JSON.stringify(record))));
  });

  it.each([
    ["NaN", NaN],
    ["Infinity", { a: Infinity }],
    ["bigint", { a: BigInt(1) }],
    ["function", { f: () => 1 }],
    ["Date", { at: new Date(0) }],
    ["Map", new Map()],
    ["undefined in array", [1, undefined]],
    ["top-level undefined", undefined],
  ])("refuses %s", (_label, value) => {
    expect(() => canonicalJson(value)).toThrow(NotCanonicalizable);
  });

  it("accepts objects without a prototype", () => {
    const o = Object.create(null) as Record<string, number>;
    o.b = 1;
    o.a = 2;
    expect(canonicalJson(o)).toBe('{"a":2,"b":1}');
  });

  it("sha256Hex matches a known vector", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
