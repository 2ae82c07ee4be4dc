import { assertCharsBetween, assertCountBetween } from "../limits";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

/*
 * 管理聊天敏感词 (developer.work.weixin.qq.com/document/path/95130, "最后更新 2024/03/07"):
 * add_intercept_rule (POST), get_intercept_rule_list (GET), get_intercept_rule (POST {rule_id}),
 * update_intercept_rule (POST), del_intercept_rule (POST {rule_id}). Field shapes cross-checked with
 * go-workwx-style SDKs (go-laoji/wecom-go-sdk external_intercept_rule.go; mrseanchow/wecom-core
 * types/externalcontact), WxJava WxCpInterceptRuleInfo.java (get: rule{rule_id, rule_name, word_list,
 * semantics_list, intercept_type, applicable_range, create_time}) and WxJava issue #2993 (update takes
 * extra_rule.semantics_list and add_/remove_applicable_range, not applicable_range).
 * add_intercept_rule has no server-side dedupe (path/92135): callers record the attempt first and
 * reconcile through the list before adding again (src/alerts/intercept/interceptRuleSync.ts).
 */

export interface ApplicableRange {
  user_list?: string[];
  department_list?: number[];
}

export interface AddInterceptRuleRequest {
  /** 1–20 characters. */
  rule_name: string;
  /** Up to 300 words of 1–32 characters. */
  word_list: string[];
  /** 1 phone number, 2 email, 3 red packet. On add it is top-level (path/95130 新建敏感词规则). */
  semantics_list?: Array<1 | 2 | 3>;
  /** 1 warn and block, 2 warn only. */
  intercept_type: 1 | 2;
  applicable_range: ApplicableRange;
}

export interface UpdateInterceptRuleRequest {
  rule_id: string;
  rule_name?: string;
  /** Replaces the whole word list when present. */
  word_list?: string[];
  /** On update the semantics sit under extra_rule (path/95130 修改敏感词规则; WxJava issue #2993). */
  extra_rule?: { semantics_list: Array<1 | 2 | 3> };
  intercept_type?: 1 | 2;
  add_applicable_range?: ApplicableRange;
  remove_applicable_range?: ApplicableRange;
}

export interface InterceptRuleSummary {
  rule_id: string;
  rule_name: string;
  create_time: number;
}

export interface InterceptRuleDetail {
  rule_id: string;
  rule_name: string;
  word_list: string[];
  semantics_list: Array<1 | 2 | 3>;
  intercept_type: 1 | 2;
  applicable_range: { user_list: string[]; department_list: number[] };
  create_time?: number;
}

type RawDetail = Partial<Omit<InterceptRuleDetail, "applicable_range">> & {
  extra_rule?: { semantics_list?: Array<1 | 2 | 3> };
  applicable_range?: ApplicableRange;
};

function assertRange(prefix: string, range: ApplicableRange | undefined): void {
  assertCountBetween(`${prefix}.user_list`, range?.user_list, 0, 1000);
  assertCountBetween(`${prefix}.department_list`, range?.department_list, 0, 1000);
}

function assertWords(words: string[] | undefined): void {
  assertCountBetween("word_list", words, 0, 300);
  words?.forEach((word, i) => assertCharsBetween(`word_list[${i}]`, word, 1, 32));
}

/** Native sensitive-word interception: the member's phone warns or blocks before the message leaves. */
export class InterceptRuleApi {
  constructor(private readonly http: WeComHttp) {}

  /** Not idempotent: a second call after a lost reply creates a second rule. */
  async addInterceptRule(request: AddInterceptRuleRequest): Promise<string> {
    assertCharsBetween("rule_name", request.rule_name, 1, 20);
    assertWords(request.word_list);
    assertRange("applicable_range", request.applicable_range);
    const reply = await this.http.post<WeComReply & { rule_id: string }>("externalcontact", "/cgi-bin/externalcontact/add_intercept_rule", {
      secret: "customer",
      body: request,
    });
    return reply.rule_id;
  }

  /** GET, no paging: a company has at most 100 rules (path/95130 "企业敏感词规则条数上限为100个"). */
  async getInterceptRuleList(): Promise<InterceptRuleSummary[]> {
    const reply = await this.http.get<WeComReply & { rule_list?: InterceptRuleSummary[] }>(
      "externalcontact",
      "/cgi-bin/externalcontact/get_intercept_rule_list",
      { secret: "customer" },
    );
    return reply.rule_list ?? [];
  }

  async getInterceptRule(ruleId: string): Promise<InterceptRuleDetail> {
    const reply = await this.http.post<WeComReply & { rule: RawDetail }>("externalcontact", "/cgi-bin/externalcontact/get_intercept_rule", {
      secret: "customer",
      body: { rule_id: ruleId },
    });
    const r = reply.rule;
    // WxJava reads semantics_list at the top of `rule`; some copies of the page show extra_rule: accept both.
    return {
      rule_id: r.rule_id ?? ruleId,
      rule_name: r.rule_name ?? "",
      word_list: r.word_list ?? [],
      semantics_list: r.semantics_list ?? r.extra_rule?.semantics_list ?? [],
      intercept_type: r.intercept_type ?? 1,
      applicable_range: { user_list: r.applicable_range?.user_list ?? [], department_list: r.applicable_range?.department_list ?? [] },
      ...(r.create_time !== undefined ? { create_time: r.create_time } : {}),
    };
  }

  /** Idempotent: applying the same change twice leaves the same rule. */
  async updateInterceptRule(request: UpdateInterceptRuleRequest): Promise<void> {
    if (request.rule_name !== undefined) assertCharsBetween("rule_name", request.rule_name, 1, 20);
    assertWords(request.word_list);
    assertRange("add_applicable_range", request.add_applicable_range);
    assertRange("remove_applicable_range", request.remove_applicable_range);
    await this.http.post<WeComReply>("externalcontact", "/cgi-bin/externalcontact/update_intercept_rule", { secret: "customer", body: request });
  }

  async delInterceptRule(ruleId: string): Promise<void> {
    await this.http.post<WeComReply>("externalcontact", "/cgi-bin/externalcontact/del_intercept_rule", { secret: "customer", body: { rule_id: ruleId } });
  }
}
