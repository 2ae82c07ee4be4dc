/** Calendar day in China time, the day WeCom's per-day quotas reset on. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const NINETY_DAYS_MS = 90 * 86_400_000;
