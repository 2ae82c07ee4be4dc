/**
 * Who WeCom lets take parents over, checked when the plan is made so an ineligible successor is refused
 * with the reason instead of being discovered as an errcode days later. WeCom's conditions (issue 13's
 * corrections, citing developer.work.weixin.qq.com/document/path/96325, 96331, 96334; errcodes in
 * go-workwx errcodes/mod.go): the takeover member is active (41054/60111 otherwise), has 客户联系 and is in
 * the app's visible range — both read in one call: externalcontact/get_follow_user_list lists the members
 * configured for 客户联系, and "应用仅可获取可见范围内的成员" (path/92571), so a member outside the app's
 * visible range is absent too — below their customer limit (40099), real-name verified (40098) and logged
 * in within a year. The last two no API exposes: they are caught at call time (40098) and reach HR with
 * what to do.
 */

/**
 * A member's customer limit starts at 5,000 and HR can raise it up to 20,000 (Tencent's 客户联系 help; the
 * exact value per member is not readable by API), so the planner refuses only at the highest possible
 * limit and leaves anything lower to 40099 at call time.
 */
export const MAX_MEMBER_CUSTOMERS = 20_000;

export interface SuccessorFacts {
  /** Display name, for the reason. */
  name: string;
  status: "active" | "leaving" | "left";
  /** null when the 客户联系 range could not be read (not checked then). */
  inCustomerContactRange: boolean | null;
  /** Parents they follow now plus those this plan gives them. */
  customers: number;
}

/** Why this member cannot take parents over, in HR's words, or null when WeCom would accept them. */
export function successorRefusal(f: SuccessorFacts): string | null {
  if (f.status === "left") return `${f.name}已不在企业微信中（已离职或已删除），不能接替家长`;
  if (f.status === "leaving") return `${f.name}也在办理离职，接替后还需再转一次`;
  if (f.inCustomerContactRange === false) return `${f.name}不在企业微信「客户联系」使用范围或本应用的可见范围内，企业微信不允许其接替家长；请管理员先将其加入`;
  if (f.customers >= MAX_MEMBER_CUSTOMERS) return `${f.name}的客户数已达企业微信上限（${MAX_MEMBER_CUSTOMERS}）`;
  return null;
}

/** 离职继承 is possible for less than a year after the member left (same sources). */
export const RESIGNED_TRANSFER_WINDOW_MS = 365 * 86_400_000;

export function resignedTransferClosed(leftAt: Date | null, now: Date): boolean {
  return leftAt !== null && now.getTime() - leftAt.getTime() >= RESIGNED_TRANSFER_WINDOW_MS;
}
