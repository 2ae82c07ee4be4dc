/** Times as people in the branches read them (Beijing time, 24-hour). */
export function shortTime(iso: string): string {
  return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
}
