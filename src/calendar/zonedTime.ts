/**
 * Wall-clock arithmetic in an IANA time zone without a date library.
 * Business rules ("quiet after 21:00", "300 groups per day") are stated in
 * China local time while instants are stored in UTC; going through Intl keeps
 * this correct for any zone the branch config names, not just fixed +08:00.
 */
export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

export function toWallTime(instant: Date, tz: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function offsetMs(instant: Date, tz: string): number {
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return wallAsUtcMs(toWallTime(new Date(whole), tz)) - whole;
}

/** The instant a wall time denotes in tz (two passes settle DST edges). */
export function fromWallTime(w: WallTime, tz: string): Date {
  const guess = wallAsUtcMs(w);
  const first = guess - offsetMs(new Date(guess), tz);
  return new Date(guess - offsetMs(new Date(first), tz));
}

/** Midnight starting the local day `days` after the one containing instant. */
export function startOfLocalDay(instant: Date, tz: string, days = 0): Date {
  const w = toWallTime(instant, tz);
  const shifted = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return fromWallTime(
    { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: 0, minute: 0, second: 0 },
    tz,
  );
}

/** Midnight starting a "YYYY-MM-DD" local date. */
export function startOfDate(date: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return fromWallTime({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 }, tz);
}

/** "2026-03-02 09:00:00" in China time, whatever the server's zone: how every record shows an instant. */
export function formatChinaTime(instant: Date): string {
  const w = toWallTime(instant, "Asia/Shanghai");
  const two = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}
