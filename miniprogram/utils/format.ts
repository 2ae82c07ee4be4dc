/** Display formats. Everything is shown in China time regardless of the phone's time zone. */

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, "0");

/** "2025-12-22" → "2025年12月22日" */
export function formatDay(day: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? "");
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : (day ?? "");
}

/** ISO instant → "2025年11月22日 18:05" (China time) */
export function formatInstant(iso: string | null | undefined): string {
  const t = Date.parse(iso ?? "");
  if (Number.isNaN(t)) return iso ?? "";
  const d = new Date(t + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Long hashes are unreadable on a phone; show the ends so a person can compare them with a printout. */
export function shortHash(hash: string | null | undefined): string {
  const h = hash ?? "";
  return h.length > 20 ? `${h.slice(0, 10)}…${h.slice(-10)}` : h;
}
