import { assertCharsBetween, assertCountBetween } from "../limits";
import type { WeComReply } from "../transport/WeComTransport";
import type { WeComHttp } from "../WeComHttp";

export interface AddInterceptRuleRequest {
  /** 1–20 characters. */
  rule_name: string;
  /** Up to 300 words of 1–32 characters. */
  word_list: string[];
  /** 1 phone number, 2 email, 3 red packet. */
  semantics_list?: Array<1 | 2 | 3>;
  /** 1 warn and block, 2 warn only. */
  intercept_type: 1 | 2;
  applicable_range: { user_list?: string[]; department_list?: number[] };
}

/** Native sensitive-word interception (externalcontact/add_intercept_rule): blocks on the phone too. */
export class InterceptRuleApi {
  constructor(private readonly http: WeComHttp) {}

  async addInterceptRule(request: AddInterceptRuleRequest): Promise<string> {
    assertCharsBetween("rule_name", request.rule_name, 1, 20);
    assertCountBetween("word_list", request.word_list, 0, 300);
    request.word_list.forEach((word, i) => assertCharsBetween(`word_list[${i}]`, word, 1, 32));
    assertCountBetween("applicable_range.user_list", request.applicable_range.user_list, 0, 1000);
    assertCountBetween("applicable_range.department_list", request.applicable_range.department_list, 0, 1000);
    const reply = await this.http.post<WeComReply & { rule_id: string }>(
      "externalcontact",
      "/cgi-bin/externalcontact/add_intercept_rule",
      { secret: "customer", body: request },
    );
    return reply.rule_id;
  }
}
