import { AhoCorasick } from "../../../src/alerts/rules/ahoCorasick";
import { comparableShingles, jaccard, shingle, similarAtLeast } from "../../../src/alerts/rules/nearDuplicate";
import { normalizeForMatching, stripSalutation } from "../../../src/alerts/rules/textNormalize";

describe("normalizeForMatching", () => {
  test.each([
    ["加 我 微 信！", "加我微信"],
    ["加我ＶＸ：ＷＡＮＧ１２３", "加我vxwang123"],
    ["加我😀微😀信", "加我微信"],
    ["加\u200b我\u200d微信", "加我微信"],
    ["“王老师”说，明天——停课。", "王老师说明天停课"],
    ["\u3000全角空格\u3000", "全角空格"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeForMatching(input)).toBe(expected);
  });
});

describe("stripSalutation", () => {
  test.each([
    ["王妈妈您好明天停课", "明天停课"],
    ["李爸爸你好明天停课", "明天停课"],
    ["各位家长晚上好明天停课", "明天停课"],
    ["明天停课请您好好准备", "明天停课请您好好准备"],
    ["您好明天停课", "明天停课"],
  ])("%s → %s", (input, expected) => {
    expect(stripSalutation(input)).toBe(expected);
  });
});

describe("near-duplicate (bigram Jaccard)", () => {
  const template = "王妈妈您好，我下个月起不在本校任教了，学校管理混乱、克扣工资，建议您给孩子转到别的机构，有需要可以联系我。";
  test.each([
    ["another parent's name", "李爸爸您好，我下个月起不在本校任教了，学校管理混乱、克扣工资，建议您给孩子转到别的机构，有需要可以联系我。", 0.99],
    ["a child's name inserted mid-text", "王妈妈您好，我下个月起不在本校任教了，学校管理混乱、克扣工资，建议您给小明转到别的机构，有需要可以联系我。", 0.85],
    ["punctuation, spacing and emoji changed", "张奶奶你好!我下个月起 不在本校任教了😢学校管理混乱,克扣工资…建议您给孩子转到别的机构~有需要可以联系我", 0.99],
    ["full-width variant", "赵妈妈您好，我下个月起不在本校任教了，学校管理混乱、克扣工资，建议您给孩子转到别的机构，有需要可以联系我！！", 0.99],
    ["a sentence appended", "孙爸爸您好，我下个月起不在本校任教了，学校管理混乱、克扣工资，建议您给孩子转到别的机构，有需要可以联系我。祝好", 0.9],
  ])("%s stays similar", (_name, variant, atLeast) => {
    expect(jaccard(shingle(template), shingle(variant))).toBeGreaterThanOrEqual(atLeast);
  });

  test.each([
    ["a homework notice", "各位家长好，今天的数学作业是练习册第12页，请家长督促孩子按时完成并签字。"],
    ["a personal reply", "王妈妈您好，小明今天上课表现很好，回答问题很积极，继续保持！"],
  ])("%s is not similar", (_name, other) => {
    expect(jaccard(shingle(template), shingle(other))).toBeLessThan(0.3);
  });

  test("short texts differing only by greeting are equal after stripping", () => {
    expect(jaccard(shingle("王妈妈您好，明天停课"), shingle("李爸爸您好，明天停课"))).toBe(1);
  });

  test("degenerate inputs", () => {
    expect(shingle("好")).toEqual(["好"]);
    expect(jaccard([], [])).toBe(1);
    expect(jaccard(["ab"], [])).toBe(0);
    // Two characters of content once the greeting and punctuation are gone.
    expect(comparableShingles("王妈妈您好，收到！", 2)).toEqual(["收到"]);
    expect(comparableShingles("王妈妈您好，收到！", 3)).toBeNull();
  });
});

describe("AhoCorasick", () => {
  test("finds overlapping and nested patterns in one pass", () => {
    const ac = new AhoCorasick(["he", "she", "his", "hers"]);
    expect(ac.findAll("ushers").map((m) => `${m.pattern}@${m.end}`).sort()).toEqual(["he@4", "hers@6", "she@4"]);
  });

  test("Chinese keywords, repeated hits, distinct list", () => {
    const ac = new AhoCorasick(["微信", "私人微信", "退费", ""]);
    expect(ac.findAll("加我私人微信，退费找我，微信").map((m) => m.pattern)).toEqual(["私人微信", "微信", "退费", "微信"]);
    expect(ac.distinctMatches("加我私人微信，退费找我，微信")).toEqual(["私人微信", "微信", "退费"]);
  });

  test("non-BMP characters and no match", () => {
    const ac = new AhoCorasick(["𠮷野家"]);
    expect(ac.findAll("去𠮷野家吃饭")).toEqual([{ pattern: "𠮷野家", end: 4 }]);
    expect(new AhoCorasick([]).findAll("任何内容")).toEqual([]);
  });

  test("agrees with naive search on a random corpus", () => {
    const alphabet = ["a", "b", "c", "微", "信"];
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join("");
    const patterns = Array.from({ length: 30 }, () => word(1 + Math.floor(rnd() * 4)));
    const text = word(500);
    const ac = new AhoCorasick(patterns);
    const naive: string[] = [];
    for (const p of new Set(patterns)) {
      for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1)) naive.push(`${p}@${i + p.length}`);
    }
    expect(ac.findAll(text).map((m) => `${m.pattern}@${m.end}`).sort()).toEqual(naive.sort());
  });
});

describe("similarAtLeast (the duplicate rule's early-stopping comparison)", () => {
  /** A deterministic generator (no Math.random): a failure reproduces. */
  let seed = 20;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = "家长停课转班联系我校区老师请尽快办理";
  const randomShingles = (n: number) => shingle(Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));

  test("gives jaccard's answer for every pair and threshold, including a threshold equal to the score", () => {
    let compared = 0;
    let similar = 0;
    for (let k = 0; k < 400; k++) {
      const a = randomShingles(Math.floor(next() * 30));
      // Half the pairs share most of a text, so both answers occur often.
      const b = k % 2 === 0 ? randomShingles(Math.floor(next() * 30)) : shingle(a.join("").slice(0, Math.floor(next() * 40)) + "停课");
      const score = jaccard(a, b);
      for (const threshold of [0.1, 0.3, 0.5, 0.7, 0.9, 1, score]) {
        expect([k, threshold, similarAtLeast(a, b, threshold)]).toEqual([k, threshold, score >= threshold]);
        compared++;
        if (score >= threshold) similar++;
      }
    }
    expect(compared).toBe(2800);
    // Both outcomes were exercised well beyond the boundary case alone.
    expect(similar).toBeGreaterThan(600);
    expect(compared - similar).toBeGreaterThan(600);
  });

  test("degenerate inputs agree with jaccard", () => {
    expect(similarAtLeast([], [], 1)).toBe(true);
    expect(similarAtLeast(["ab"], [], 0.1)).toBe(false);
    expect(similarAtLeast(["好"], ["好"], 1)).toBe(true);
  });
});
