/**
 * The short keys the rules file their legal references under ("LCL 46(2)")
 * written out as a person in China reads them (《劳动合同法》第四十六条第二项):
 * the leaver and HR are shown the statute, never our abbreviation.
 */

const STATUTES: Record<string, string> = {
  LCL: "《劳动合同法》",
  LL: "《劳动法》",
  WPR: "《工资支付暂行规定》",
  实施条例: "《劳动合同法实施条例》",
  企业职工带薪年休假实施办法: "《企业职工带薪年休假实施办法》",
  PIPL: "《个人信息保护法》",
};

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 10 → 十, 15 → 十五, 46 → 四十六, 100 → 一百 (articles run to a few hundred). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) return String(n);
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  let out = hundreds ? `${DIGITS[hundreds]}百` : "";
  if (tens) out += `${hundreds || tens > 1 ? DIGITS[tens] : ""}十`;
  else if (hundreds && ones) out += "零";
  if (ones) out += DIGITS[ones];
  return out;
}

/** "LCL 44(4)(5)" → 《劳动合同法》第四十四条第四项、第五项; an unknown key is returned as it is. */
export function statuteLabel(ref: string): string {
  const m = /^(\S+) (\d+)((?:\(\d+\))*)$/.exec(ref);
  const law = m ? STATUTES[m[1]!] : undefined;
  if (!m || !law) return ref;
  const items = [...m[3]!.matchAll(/\((\d+)\)/g)].map((x) => `第${chineseNumber(Number(x[1]))}项`);
  return `${law}第${chineseNumber(Number(m[2]))}条${items.join("、")}`;
}

export function statuteLabels(refs: readonly string[]): string[] {
  return refs.map(statuteLabel);
}
