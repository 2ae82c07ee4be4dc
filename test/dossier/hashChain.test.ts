import { canonicalJson, sha256Hex } from "../../src/dossier/canonicalJson";
import {
  appendEntry,
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type DossierEntry,
  type NewDossierEntry,
} from "../../src/dossier/hashChain";
import { ValidationError } from "../../src/platform/errors";

const base = Date.parse("2026-03-02T01:00:00Z");

function entryInput(i: number, caseId = "case-1"): NewDossierEntry {
  return {
    caseId,
    at: new Date(base + i * 60_000),
    kind: ["notice_generated", "notice_signed", "approval_step", "handover_item", "last_day"][i % 5],
    actor: { type: i % 2 ? "employee" : "hr", id: `user-${i}`, name: i % 2 ? "张三" : undefined },
    payload: { step: i, note: `第${i}步`, nested: { list: [i, i + 1] } },
  };
}

function buildChain(n: number): DossierEntry[] {
  const chain: DossierEntry[] = [];
  for (let i = 0; i < n; i++) chain.push(appendEntry(chain.at(-1) ?? null, entryInput(i)));
  return chain;
}

const clone = (c: DossierEntry[]) => c.map((e) => JSON.parse(JSON.stringify(e)) as DossierEntry);

describe("evidence hash chain", () => {
  it("starts at seq 1 from the genesis hash and links each entry to the previous one", () => {
    const chain = buildChain(3);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0].prevHash).toBe(GENESIS_HASH);
    expect(chain[1].prevHash).toBe(chain[0].hash);
    expect(chain[2].prevHash).toBe(chain[1].hash);
  });

  it("hashes prevHash ‖ canonical JSON of the content (the documented formula)", () => {
    const [e] = buildChain(1);
    const { seq, caseId, at, kind, actor, payload } = e;
    expect(e.hash).toBe(sha256Hex(GENESIS_HASH + canonicalJson({ seq, caseId, at, kind, actor, payload })));
    expect(e.at).toBe("2026-03-02T01:00:00.000Z");
  });

  it("verifies an intact chain and reports the head", () => {
    const chain = buildChain(6);
    expect(verifyChain(chain)).toEqual({ ok: true, length: 6, headHash: chain[5].hash });
    expect(verifyChain([])).toEqual({ ok: true, length: 0, headHash: GENESIS_HASH });
  });

  it("survives a JSON round trip (what the database gives back)", () => {
    expect(verifyChain(clone(buildChain(5))).ok).toBe(true);
  });

  describe("detects tampering", () => {
    it("an edited payload", () => {
      const chain = clone(buildChain(5));
      (chain[2].payload as { note: string }).note = "改过了";
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 2, problem: "edited" });
    });

    it.each(["at", "kind", "caseIdOnly", "actor"])("an edited %s field", (field) => {
      const chain = clone(buildChain(4));
      if (field === "at") chain[1].at = "2026-03-01T01:00:00.000Z";
      if (field === "kind") chain[1].kind = "withdrawn";
      if (field === "actor") chain[1].actor = { type: "hr", id: "someone-else" };
      if (field === "caseIdOnly") {
        // Changing the case id of every entry keeps the run consistent but breaks the hashes.
        chain.forEach((e) => (e.caseId = "case-2"));
      }
      const result = verifyChain(chain);
      expect(result).toMatchObject({ ok: false, problem: "edited" });
    });

    it("an edited stored hash", () => {
      const chain = clone(buildChain(3));
      chain[2].hash = "f".repeat(64);
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 2, problem: "edited" });
      chain[2].hash = "not-a-hash";
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 2, problem: "edited" });
    });

    it("an entry edited and re-hashed (the next entry still names the original)", () => {
      const chain = clone(buildChain(4));
      const forged = appendEntry(chain[0], { ...entryInput(1), payload: { forged: true } });
      chain[1] = forged;
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 1, problem: "edited" });
    });

    it("a deleted middle entry", () => {
      const chain = clone(buildChain(5));
      chain.splice(2, 1);
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 2, problem: "deleted" });
    });

    it("a deleted first entry", () => {
      const chain = clone(buildChain(3)).slice(1);
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 0, problem: "deleted" });
    });

    it("a deleted tail entry, given the head published earlier", () => {
      const full = buildChain(5);
      const anchor = { seq: 5, hash: full[4].hash };
      const truncated = clone(full).slice(0, 4);
      expect(verifyChain(truncated).ok).toBe(true); // undetectable without an anchor …
      expect(verifyChain(truncated, [anchor])).toMatchObject({ ok: false, index: 4, problem: "deleted" });
    });

    it("a chain rewritten from the middle onwards, given an anchor", () => {
      const full = buildChain(4);
      const rewritten = full.slice(0, 2);
      for (let i = 2; i < 4; i++) rewritten.push(appendEntry(rewritten.at(-1)!, { ...entryInput(i), payload: { rewritten: i } }));
      expect(verifyChain(rewritten).ok).toBe(true);
      expect(verifyChain(rewritten, [{ seq: 3, hash: full[2].hash }])).toMatchObject({ ok: false, index: 2, problem: "edited" });
      expect(verifyChain(full, [{ seq: 3, hash: full[2].hash }]).ok).toBe(true);
    });

    it("swapped entries", () => {
      const chain = clone(buildChain(5));
      [chain[1], chain[3]] = [chain[3], chain[1]];
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 1, problem: "reordered" });
    });

    it("a reversed chain", () => {
      expect(verifyChain(clone(buildChain(3)).reverse())).toMatchObject({ ok: false, index: 0, problem: "reordered" });
    });

    it("an inserted entry reusing a seq", () => {
      const chain = clone(buildChain(4));
      const intruder = appendEntry(chain[1], { ...entryInput(2), payload: { intruder: true } });
      chain.splice(2, 0, intruder);
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 3, problem: "inserted" });
    });

    it("an entry from another case slipped into the chain", () => {
      const chain = clone(buildChain(2));
      const content = { ...chain[1], seq: 3, caseId: "case-9", payload: { foreign: true } };
      chain.push({ ...content, prevHash: chain[1].hash, hash: entryHash(chain[1].hash, content) });
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 2, problem: "inserted" });
    });

    it("a first entry that does not start from genesis", () => {
      const chain = clone(buildChain(2));
      chain[0].prevHash = "1".repeat(64);
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 0, problem: "bad_genesis" });
    });

    it("a non-integer seq", () => {
      const chain = clone(buildChain(2));
      (chain[1] as { seq: unknown }).seq = "2";
      expect(verifyChain(chain)).toMatchObject({ ok: false, index: 1, problem: "edited" });
    });
  });

  describe("appendEntry", () => {
    it("refuses to mix cases in one chain", () => {
      const [head] = buildChain(1);
      expect(() => appendEntry(head, entryInput(1, "case-2"))).toThrow(ValidationError);
    });

    it.each([
      ["no case id", { caseId: "" }],
      ["no kind", { kind: "" }],
      ["no actor id", { actor: { type: "hr", id: "" } }],
      ["an invalid time", { at: new Date("x") }],
    ])("refuses an entry with %s", (_l, patch) => {
      expect(() => appendEntry(null, { ...entryInput(0), ...patch } as NewDossierEntry)).toThrow(ValidationError);
    });

    it("refuses a payload that has no JSON form", () => {
      expect(() => appendEntry(null, { ...entryInput(0), payload: { x: NaN } })).toThrow(/no JSON form/);
    });
  });
});
