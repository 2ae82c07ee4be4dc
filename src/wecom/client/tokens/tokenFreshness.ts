export interface TokenLifetime {
  expiresAt: Date;
  fetchedAt: Date;
}

const earlyMarginMs = 5 * 60_000;
const usableFraction = 0.9;

/**
 * When to fetch a new token: 5 minutes before expiry or after 90% of its life, whichever is
 * first, so a call never starts with a token that dies in flight and clock skew has room.
 */
export function refreshDueAt(token: TokenLifetime): Date {
  const fetched = token.fetchedAt.getTime();
  const expires = token.expiresAt.getTime();
  const byMargin = expires - earlyMarginMs;
  const byFraction = fetched + (expires - fetched) * usableFraction;
  return new Date(Math.min(byMargin, byFraction));
}

export function needsRefresh(token: TokenLifetime | undefined, now: Date): boolean {
  return token === undefined || now.getTime() >= refreshDueAt(token).getTime();
}

export function isExpired(token: TokenLifetime, now: Date): boolean {
  return now.getTime() >= token.expiresAt.getTime();
}
