/**
 * Phrases that move parents off the school's WeCom account to a teacher's own
 * (离职交微信) — the core leaver risk. Stored in matching form (see
 * normalizeForMatching): no spaces or punctuation, lower case.
 */
export const DIVERSION_PHRASES: readonly string[] = [
  "加我微信", "加我私人微信", "加我个人微信", "加我的微信", "加一下我微信", "加下我微信",
  "加我vx", "加我wx", "加我v信", "加我薇信", "加我威信", "加我绿泡泡", "加我qq",
  "私人微信", "个人微信", "我的新微信", "新微信号", "我换微信了", "加我新号", "我的私人号",
  "这个号不用了", "这个号以后不用", "此号停用", "以后联系我", "以后直接找我", "离职后联系",
  "私下联系", "私聊我", "私信我", "扫码加我", "跟我走", "我去了新机构", "来新机构",
  "我自己开班", "我自己带班", "私课找我", "课程找我报名",
];
