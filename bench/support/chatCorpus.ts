/**
 * Synthetic staff–parent chat text with a realistic shape: a few hundred
 * everyday school words drawn on a Zipf curve (老师, 孩子, 作业 … dominate, as
 * they do in real chats), a long tail of rarer words built from 600 common
 * characters, punctuation, occasional numbers, times and amounts. Bigram
 * frequencies therefore follow the same heavy-head / long-tail curve as real
 * Chinese chat, which is what decides how long the index's posting lists are.
 * Deterministic (seeded), so runs compare.
 */

const COMMON_WORDS = (
  "老师 孩子 家长 作业 今天 明天 谢谢 好的 您好 收到 学校 上课 放学 考试 成绩 数学 语文 英语 通知 请假 " +
  "身体 不舒服 麻烦 时间 周末 课程 班级 群里 照片 视频 活动 报名 同学 我们 你们 他们 这个 那个 一下 什么 " +
  "怎么 可以 没有 已经 还是 因为 所以 但是 如果 一起 需要 知道 问题 情况 注意 提醒 准备 参加 安排 表现 " +
  "进步 努力 认真 练习 复习 预习 听写 背诵 阅读 写字 口算 试卷 单元 期中 期末 家访 家长会 接送 校车 午饭 " +
  "午休 体育 美术 音乐 科学 手工 比赛 获奖 表扬 批评 纪律 卫生 值日 迟到 早退 病假 事假 发烧 感冒 咳嗽 " +
  "医院 检查 疫苗 保险 校服 书包 文具 课本 练习册 签字 确认 反馈 沟通 交流 辛苦 感谢 配合 支持 理解 放心 " +
  "一定 马上 稍等 晚上 早上 中午 下午 星期一 星期五 下周 本周 上周 每天 最近 刚才 现在 以后 之前 之后 老家"
).split(" ");

// About 300 frequent characters for the long tail of rarer words.
const CHARS = [
  ..."的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府",
].slice(0, 600);

/** xorshift32: fast, seeded, good enough for text. */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Cumulative Zipf weights (s = 1) for n ranks, for sampling by binary search. */
function zipf(n: number): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) c[i] = sum += 1 / (i + 1);
  for (let i = 0; i < n; i++) c[i]! /= sum;
  return c;
}

function pick(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ChatCorpus {
  private rng: Rng;
  private readonly rare: string[];
  private readonly commonZipf = zipf(COMMON_WORDS.length);
  private readonly rareZipf: Float64Array;

  /**
   * `seed` fixes the vocabulary; `sampleSeed`, when given, the sentences drawn
   * from it, so parallel generators share one vocabulary (one language) and
   * each draws its own deterministic slice of the archive.
   */
  constructor(seed = 19, rareWords = 20_000, sampleSeed?: number) {
    this.rng = new Rng(seed);
    this.rare = Array.from({ length: rareWords }, () => {
      const length = 2 + this.rng.int(3);
      let w = "";
      for (let i = 0; i < length; i++) w += CHARS[this.rng.int(CHARS.length)];
      return w;
    });
    this.rareZipf = zipf(rareWords);
    // xorshift needs a non-zero state.
    if (sampleSeed !== undefined) this.rng = new Rng((sampleSeed >>> 0) || 0x9e3779b9);
  }

  /** One chat message: 3–12 words, mostly everyday, some rare, punctuation, sometimes a number. */
  sentence(): string {
    const words = 3 + this.rng.int(10);
    let s = "";
    for (let i = 0; i < words; i++) {
      const r = this.rng.next();
      if (r < 0.78) s += COMMON_WORDS[pick(this.commonZipf, this.rng.next())];
      else if (r < 0.95) s += this.rare[pick(this.rareZipf, this.rng.next())];
      else if (r < 0.975) s += `${1 + this.rng.int(12)}点`;
      else s += `${(1 + this.rng.int(50)) * 10}元`;
      if (i < words - 1 && this.rng.next() < 0.25) s += "，";
    }
    return s + ["。", "！", "？", "", "~"][this.rng.int(5)];
  }

  int(n: number): number {
    return this.rng.int(n);
  }

  chance(p: number): boolean {
    return this.rng.next() < p;
  }
}
