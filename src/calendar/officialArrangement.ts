import { z } from "zod";
import { ValidationError } from "../platform/errors";
import { isLocalDate } from "../platform/localDate";
import { validateOverride, type CalendarYearOverride } from "./workingDays";
import { parseArrangementText } from "./arrangementText";

/**
 * A year's official holiday arrangement (国务院办公厅关于XXXX年部分节假日安排的通知)
 * as an operator loads it: either our own shape, or a file of
 * NateScarlet/holiday-cn verbatim (`{ year, papers, days: [{ name, date,
 * isOffDay }] }`, one JSON per year, MIT) so the published data can be used
 * without retyping. Either way every date must appear once, inside its year,
 * and make-up working days must be weekends (validateOverride). A text body
 * (a file or a paste from the console) is either such JSON, or the notice's
 * days as lines (arrangementText.ts), whose problems are named by line.
 */

const date = z.string().refine(isLocalDate, "应为 YYYY-MM-DD 格式的有效日期");
const ownShape = z.object({
  year: z.number().int(),
  holidays: z.array(date).min(1, "至少应有一个放假日期").max(366),
  makeUpWorkdays: z.array(date).max(366),
  source: z.string().trim().min(1, "请注明依据（如国办发明电〔2026〕X号）").max(200),
});
const holidayCn = z.object({
  year: z.number().int(),
  papers: z.array(z.string().max(500)).max(20).optional(),
  days: z.array(z.object({ name: z.string().max(50), date, isOffDay: z.boolean() })).min(1).max(366),
});

const FIELD: Record<string, string> = { year: "年份", holidays: "放假日期", makeUpWorkdays: "调休上班日", source: "依据", papers: "依据", days: "", name: "名称", date: "日期", isOffDay: "是否放假" };

/** Where in a JSON file a problem is, in words a person finds it by: "第 4 项（日期）：" — never the file's keys. */
function where(path: readonly PropertyKey[]): string {
  const [field, index, inner] = path;
  if (typeof field !== "string") return "";
  const name = FIELD[field] ?? "";
  if (typeof index !== "number") return name ? `${name}：` : "";
  const innerName = typeof inner === "string" ? FIELD[inner] : undefined;
  return `${name}第 ${index + 1} 项${innerName ? `（${innerName}）` : ""}：`;
}

export function parseOfficialArrangement(input: unknown, year: number): CalendarYearOverride {
  let body = input;
  if (typeof input === "string") {
    const text = input.replace(/^\uFEFF/, "").trim();
    if (!text.startsWith("{")) {
      const lines = parseArrangementText(text, year);
      validateOverride(lines);
      return lines;
    }
    try {
      body = JSON.parse(text);
    } catch {
      throw new ValidationError("文件以 { 开头但不是完整有效的 JSON，请上传官方安排的 JSON 文件，或按行填写");
    }
  }
  const own = ownShape.safeParse(body);
  let override: CalendarYearOverride;
  if (own.success) {
    override = { year: own.data.year, holidays: own.data.holidays, makeUpWorkdays: own.data.makeUpWorkdays, source: own.data.source };
  } else {
    const cn = holidayCn.safeParse(body);
    if (!cn.success) {
      const issues = (Array.isArray((body as { days?: unknown })?.days) ? cn : own).error!.issues;
      throw new ValidationError(
        "放假安排格式无效：应为 { year, holidays, makeUpWorkdays, source } 或 holiday-cn 的年度 JSON 文件",
        issues.map((i) => ({ path: i.path.join("."), message: `${where(i.path)}${i.message}` })),
      );
    }
    const days = cn.data.days;
    const seen = new Set<string>();
    for (const d of days) {
      if (seen.has(d.date)) throw new ValidationError(`${d.date} 在 ${cn.data.year} 年的安排中出现了不止一次`);
      seen.add(d.date);
    }
    override = {
      year: cn.data.year,
      holidays: days.filter((d) => d.isOffDay).map((d) => d.date),
      makeUpWorkdays: days.filter((d) => !d.isOffDay).map((d) => d.date),
      source: cn.data.papers?.[0] ?? "holiday-cn",
    };
    if (override.holidays.length === 0) throw new ValidationError("至少应有一个放假日期");
  }
  if (override.year !== year) throw new ValidationError(`文件中的年份（${override.year}）与地址中的年份（${year}）不一致`);
  validateOverride(override);
  return override;
}
