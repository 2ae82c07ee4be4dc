/**
 * Ways a teacher hands a parent a private channel. Matching runs on NFKC text
 * (full-width digits already ASCII) and tolerates the usual evasions: spaces or
 * dashes between digits, Chinese numerals ("幺三八…"), a +86 prefix.
 */
const CHINESE_DIGITS: Record<string, string> = {
  零: "0", 〇: "0", 一: "1", 幺: "1", 二: "2", 两: "2", 三: "3", 四: "4", 五: "5",
  六: "6", 七: "7", 八: "8", 九: "9", 壹: "1", 贰: "2", 叁: "3", 肆: "4", 伍: "5",
  陆: "6", 柒: "7", 捌: "8", 玖: "9",
};
const DIGIT_SEPARATORS = new Set([" ", "-", "—", "–", ".", "·", "_", "/", "(", ")", "+", "~", "\u00a0", "\t"]);
const MAX_SEPARATOR_RUN = 2;

/** Digit runs, each possibly broken by short separator runs. */
function digitRuns(text: string): string[] {
  const runs: string[] = [];
  let digits = "";
  let separators = 0;
  for (const raw of text.normalize("NFKC")) {
    const d = raw >= "0" && raw <= "9" ? raw : CHINESE_DIGITS[raw];
    if (d !== undefined) {
      digits += d;
      separators = 0;
    } else if (DIGIT_SEPARATORS.has(raw) && digits.length > 0 && separators < MAX_SEPARATOR_RUN) {
      separators++;
    } else {
      if (digits) runs.push(digits);
      digits = "";
      separators = 0;
    }
  }
  if (digits) runs.push(digits);
  return runs;
}

const MOBILE = /^(?:0{0,2}86)?(1[3-9]\d{9})$/;

/** Mainland mobile numbers found, as bare 11-digit strings. */
export function findMobileNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const run of digitRuns(text)) {
    const m = MOBILE.exec(run);
    if (m) found.add(m[1]!);
  }
  return [...found];
}

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

export function findEmails(text: string): string[] {
  return [...new Set(text.normalize("NFKC").match(EMAIL) ?? [])].map((e) => e.toLowerCase());
}

/**
 * A WeChat id (6–20 chars, starts with a letter) or QQ number right after a word
 * that names the app — "微信号：wang_teacher88", "vx wang123456", "扣扣 12345678".
 * A bare id-like token without the cue word is too common to flag.
 */
const WECHAT_ID = /(?:微信号?|威信|薇信|徽信|v信|vx|wx|weixin|wechat|绿泡泡)\s*(?:号|id)?\s*[:：是为]?\s*([a-z][-_a-z0-9]{5,19})/giu;
const QQ_NUMBER = /(?:qq|扣扣|企鹅)\s*号?\s*[:：是为]?\s*([1-9]\d{4,10})/giu;

export function findPrivateAccountIds(text: string): string[] {
  const t = text.normalize("NFKC");
  const ids = new Set<string>();
  for (const m of t.matchAll(WECHAT_ID)) ids.add(`微信:${m[1]!.toLowerCase()}`);
  for (const m of t.matchAll(QQ_NUMBER)) ids.add(`QQ:${m[1]!}`);
  return [...ids];
}
