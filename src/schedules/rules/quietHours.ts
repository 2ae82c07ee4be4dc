import { fromWallTime, toWallTime } from "../../calendar";

/** Local "HH:MM" window in which nobody should be pinged; may cross midnight (21:00–08:00). */
export interface QuietHours {
  start: string;
  end: string;
  tz: string;
}

function minutesOf(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`quiet hours must be HH:MM, got "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The first instant at or after `at` outside the quiet window.
 * An empty window (start == end) means no quiet hours.
 */
export function deferPastQuietHours(at: Date, quiet: QuietHours): Date {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const wall = toWallTime(at, quiet.tz);
  const now = wall.hour * 60 + wall.minute;
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? now >= start || now < end : now >= start && now < end;
  if (!inside) return at;
  // When the window crosses midnight and we are before midnight, the window ends tomorrow.
  const dayShift = crossesMidnight && now >= start ? 1 : 0;
  const endDay = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + dayShift));
  return fromWallTime(
    {
      year: endDay.getUTCFullYear(),
      month: endDay.getUTCMonth() + 1,
      day: endDay.getUTCDate(),
      hour: Math.floor(end / 60),
      minute: end % 60,
      second: 0,
    },
    quiet.tz,
  );
}
