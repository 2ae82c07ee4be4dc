import { parse } from "csv-parse/sync";
import { ValidationError, type FieldProblem } from "../../platform/errors";
import { compareDates, isLocalDate, type LocalDate } from "../../platform/localDate";
import { normaliseSubject, TEACHING_LEVELS, type QualificationKind } from "./qualificationRules";

/** One qualification as HR enters it (API body or a CSV row), validated. */
export interface QualificationInput {
  kind: QualificationKind;
  /** 教师资格证, or the other certificate's own name (普通话水平测试等级证书 …). */
  name: string;
  certificateNo: string;
  subject: string | null;
  level: string | null;
  registeredOn: LocalDate | null;
  expiresOn: LocalDate | null;
}

export interface QualificationRow {
  /** The CSV line (the header is line 1), for messages that name the row. */
  line: number;
  userid: string;
  /** The teacher's name as typed, checked against the directory so a wrong account is caught. */
  staffName: string | null;
  input: QualificationInput;
}

/** Column headers HR's spreadsheet uses (Chinese), with the English ones the API documents. */
const HEADERS: Record<string, keyof RawRow> = {
  账号: "userid",
  userid: "userid",
  姓名: "staffName",
  name: "staffName",
  证书类型: "kind",
  kind: "kind",
  证书名称: "certificateName",
  certificate_name: "certificateName",
  证书编号: "certificateNo",
  certificate_no: "certificateNo",
  任教学科: "subject",
  学科: "subject",
  subject: "subject",
  学段: "level",
  level: "level",
  注册日期: "registeredOn",
  registered_on: "registeredOn",
  有效期至: "expiresOn",
  expires_on: "expiresOn",
};

/** Field names as the error messages say them. */
const FIELD_LABELS: Record<keyof RawRow, string> = {
  userid: "账号",
  staffName: "姓名",
  kind: "证书类型",
  certificateName: "证书名称",
  certificateNo: "证书编号",
  subject: "学科",
  level: "学段",
  registeredOn: "注册日期",
  expiresOn: "有效期至",
};

interface RawRow {
  userid?: string;
  staffName?: string;
  kind?: string;
  certificateName?: string;
  certificateNo?: string;
  subject?: string;
  level?: string;
  registeredOn?: string;
  expiresOn?: string;
}

const KIND_BY_LABEL: Record<string, QualificationKind> = { 教师资格证: "teacher_certificate", teacher_certificate: "teacher_certificate", 其他证书: "other", other: "other" };
/** Certificate numbers: letters and digits (a 教师资格证 number has 17 digits; others vary), no spaces. */
const CERTIFICATE_NO = /^[0-9A-Za-z-]{4,40}$/;
export const MAX_ROWS = 5_000;

export function problemText(line: number, field: string, message: string): string {
  return `第 ${line} 行「${field}」：${message}`;
}

/**
 * Validates one qualification; every problem is named by field (and by the CSV line when there is one).
 * `today` refuses registrations in the future (a typo for next year's date).
 */
export function validateQualification(raw: RawRow, today: LocalDate, line: number | null): { input?: QualificationInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const say = (field: keyof RawRow, message: string) =>
    problems.push({ path: line === null ? field : `rows.${line}.${field}`, message: line === null ? `${FIELD_LABELS[field]}：${message}` : problemText(line, FIELD_LABELS[field], message) });
  const text = (v: string | undefined) => (v ?? "").normalize("NFKC").trim();

  const kind = KIND_BY_LABEL[text(raw.kind)];
  if (!kind) say("kind", "应为「教师资格证」或「其他证书」");
  const certificateNo = text(raw.certificateNo).replace(/\s+/g, "");
  if (!certificateNo) say("certificateNo", "不能为空");
  else if (!CERTIFICATE_NO.test(certificateNo)) say("certificateNo", "只能包含字母和数字（4–40 位）");
  const subject = text(raw.subject) ? normaliseSubject(raw.subject!) : null;
  if (subject && subject.length > 32) say("subject", "不超过 32 个字");
  const level = text(raw.level) || null;
  const name = kind === "teacher_certificate" ? "教师资格证" : text(raw.certificateName);
  const date = (field: "registeredOn" | "expiresOn"): LocalDate | null => {
    const v = text(raw[field]).replace(/\//g, "-");
    if (!v) return null;
    if (!isLocalDate(v)) {
      say(field, `「${v}」不是有效日期，应为 YYYY-MM-DD`);
      return null;
    }
    return v;
  };
  const registeredOn = date("registeredOn");
  const expiresOn = date("expiresOn");
  if (registeredOn && compareDates(registeredOn, today) > 0) say("registeredOn", "不能晚于今天");

  if (kind === "teacher_certificate") {
    if (!subject) say("subject", "教师资格证须填写任教学科");
    if (!level) say("level", "教师资格证须填写学段");
    else if (!(TEACHING_LEVELS as readonly string[]).includes(level)) say("level", `应为 ${TEACHING_LEVELS.join("、")} 之一`);
    if (expiresOn) say("expiresOn", "教师资格证没有有效期，请填写注册日期（每 5 年定期注册）");
  } else if (kind === "other") {
    if (!name) say("certificateName", "其他证书须填写证书名称");
    else if (name.length > 40) say("certificateName", "不超过 40 个字");
    if (registeredOn && expiresOn && compareDates(expiresOn, registeredOn) < 0) say("expiresOn", "不能早于注册日期");
  }
  if (problems.length > 0 || !kind) return { problems };
  return { input: { kind, name, certificateNo, subject, level, registeredOn, expiresOn }, problems };
}

/**
 * Parses a qualifications CSV (UTF-8, with or without BOM; Chinese or English headers). Every row is
 * validated and every problem reported with its line and field; nothing is imported while any remains.
 * The same certificate twice in one file is refused on its second line.
 */
export function parseQualificationCsv(text: string, today: LocalDate): QualificationRow[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw new ValidationError("CSV 文件格式有误，无法读取", [{ path: "csv", message: (err as Error).message }]);
  }
  if (records.length === 0) throw new ValidationError("CSV 文件是空的", [{ path: "csv", message: "empty" }]);
  const header = records[0]!.map((h) => HEADERS[h.normalize("NFKC").trim()]);
  const unknown = records[0]!.filter((_h, i) => header[i] === undefined);
  const missing = (["userid", "kind", "certificateNo"] as const).filter((k) => !header.includes(k));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      ...(missing.length ? [`缺少列：${missing.map((k) => FIELD_LABELS[k]).join("、")}`] : []),
      ...(unknown.length ? [`无法识别的列：${unknown.join("、")}`] : []),
    ];
    throw new ValidationError(`第 1 行（表头）${parts.join("；")}。表头应为：账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至`, [
      { path: "rows.1", message: parts.join("；") },
    ]);
  }
  if (records.length - 1 > MAX_ROWS) throw new ValidationError(`一次最多导入 ${MAX_ROWS} 行，请分批导入`, [{ path: "csv", message: "too many rows" }]);

  const problems: FieldProblem[] = [];
  const rows: QualificationRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const raw: RawRow = {};
    header.forEach((key, col) => {
      if (key) raw[key] = cells[col] ?? "";
    });
    const userid = (raw.userid ?? "").trim();
    if (!userid) problems.push({ path: `rows.${line}.userid`, message: problemText(line, "账号", "不能为空") });
    else if (userid.length > 64) problems.push({ path: `rows.${line}.userid`, message: problemText(line, "账号", "过长") });
    const { input, problems: rowProblems } = validateQualification(raw, today, line);
    problems.push(...rowProblems);
    if (!input || !userid) return;
    const key = `${input.name}\u0000${input.certificateNo}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ path: `rows.${line}.certificateNo`, message: problemText(line, "证书编号", `与第 ${first} 行重复`) });
      return;
    }
    seen.set(key, line);
    rows.push({ line, userid, staffName: (raw.staffName ?? "").trim() || null, input });
  });
  if (problems.length > 0) throw new ValidationError(`CSV 中有 ${problems.length} 处错误，未导入任何数据`, problems);
  return rows;
}
