import type { EntityManager } from "typeorm";
import { AppError, ConflictError, NotFoundError, ValidationError, type FieldProblem } from "../../platform/errors";
import { fromInstant, type LocalDate } from "../../platform/localDate";
import { StaffDirectory } from "../directory/staffDirectory";
import type { Actor } from "../policies/actor";
import { authorize, can } from "../policies/authorize";
import { problemText, type QualificationInput, type QualificationRow } from "./qualificationCsv";
import {
  dueActionLabel,
  firstReminderOn,
  KIND_LABELS,
  qualificationStatus,
  STATUS_LABELS,
  type QualificationStatus,
} from "./qualificationRules";
import { changedFields } from "./qualificationChangeText";
import { certificateHolder, editQualification, qualificationById, upsertQualification, type QualificationRecord, type UpsertOutcome } from "./qualificationStore";

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Imports validated rows all or nothing: every row whose teacher is unknown, named differently in the
 * directory, outside the actor's branches, or whose certificate is another teacher's, is reported with its
 * line; only a file without any such row is written. Re-importing the same file reports it unchanged.
 */
export async function importQualifications(manager: EntityManager, actor: Actor, rows: QualificationRow[], now: Date): Promise<ImportResult> {
  const directory = new StaffDirectory(manager);
  const problems: FieldProblem[] = [];
  let forbidden = false;
  const paths = await directory.departmentPathsOf([...new Set(rows.map((r) => r.userid))]);
  for (const row of rows) {
    const staff = await directory.find(row.userid);
    if (!staff) {
      problems.push({ path: `rows.${row.line}.userid`, message: problemText(row.line, "账号", `通讯录中没有账号为「${row.userid}」的员工`) });
      continue;
    }
    if (row.staffName && row.staffName !== staff.name) {
      problems.push({ path: `rows.${row.line}.staffName`, message: problemText(row.line, "姓名", `「${row.staffName}」与通讯录中该账号的姓名「${staff.name}」不一致`) });
      continue;
    }
    if (!can(actor, "update", { kind: "staff", userid: row.userid, departmentPaths: paths.get(row.userid) ?? [] })) {
      forbidden = true;
      problems.push({ path: `rows.${row.line}.userid`, message: problemText(row.line, "账号", `您无权修改${staff.name}的资质（不在您负责的校区，或您的角色只能查看）`) });
      continue;
    }
    const holder = await certificateHolder(manager, row.input.name, row.input.certificateNo);
    if (holder && holder.userid !== row.userid) {
      problems.push({ path: `rows.${row.line}.certificateNo`, message: problemText(row.line, "证书编号", `该证书已登记在${holder.name || "其他教师"}名下`) });
    }
  }
  if (problems.length > 0) {
    const message = `CSV 中有 ${problems.length} 处错误，未导入任何数据`;
    throw forbidden ? new AppError(403, "forbidden", message, problems) : new ValidationError(message, problems);
  }
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  for (const row of rows) result[await upsertQualification(manager, row.userid, row.input, actor.userid, now)]++;
  return result;
}

/** One certificate of one teacher (the API's PUT); the caller authorized `update` on that teacher. */
export async function saveQualification(manager: EntityManager, actor: Actor, userid: string, input: QualificationInput, now: Date): Promise<UpsertOutcome> {
  const holder = await certificateHolder(manager, input.name, input.certificateNo);
  if (holder && holder.userid !== userid) throw new ConflictError(`该证书已登记在${holder.name || "其他教师"}名下`);
  return upsertQualification(manager, userid, input, actor.userid, now);
}

/**
 * One record, once the actor may act on its teacher: "update" for HR of the teacher's branch (edit, remove a
 * mistake), "read" also for the branch's campus heads and the teacher themself.
 */
export async function loadAuthorizedQualification(manager: EntityManager, actor: Actor, id: string, action: "read" | "update" = "update"): Promise<QualificationRecord> {
  const record = await qualificationById(manager, id);
  if (!record) throw new NotFoundError("该资质记录不存在（可能已被删除）");
  authorize(actor, action, { kind: "staff", userid: record.staffUserid, departmentPaths: await new StaffDirectory(manager).departmentPaths(record.staffUserid) });
  return record;
}

/**
 * HR's edit of one record (any field, name and number included), answered with what changed. A new name +
 * number that is already another record's is refused, naming whose.
 */
export async function editQualificationRecord(manager: EntityManager, actor: Actor, record: QualificationRecord, input: QualificationInput, now: Date): Promise<{ outcome: UpsertOutcome; message: string }> {
  const holder = await certificateHolder(manager, input.name, input.certificateNo);
  if (holder && holder.id !== record.id) {
    throw new ConflictError(holder.userid === record.staffUserid ? `${record.staffName}已登记过${input.name}（编号 ${input.certificateNo}），请修改那一条或删除本条` : `该证书已登记在${holder.name || "其他教师"}名下`);
  }
  const result = await editQualification(manager, record.id, input, actor.userid, now);
  const what = `${record.staffName}的${input.name}（编号 ${input.certificateNo}）`;
  if (result.outcome === "unchanged") return { outcome: "unchanged", message: `${what}没有变化` };
  return { outcome: "updated", message: `已更新${what}：${changedFields(result.before!, result.after).join("；")}` };
}

/** A record as people read it: names and Chinese labels, where it stands today, when reminders start. */
export interface QualificationView extends QualificationRecord {
  kindLabel: string;
  /** 完成定期注册 / 办理续期. */
  dueAction: string;
  status: QualificationStatus;
  statusLabel: string;
  /** The first reminder's day (90 days before), when the record has a date. */
  remindFrom: LocalDate | null;
}

export function presentQualification(r: QualificationRecord, now: Date): QualificationView {
  const today = fromInstant(now);
  const status = qualificationStatus(r.dueOn, today);
  return {
    id: r.id,
    staffUserid: r.staffUserid,
    staffName: r.staffName,
    departmentName: r.departmentName,
    kind: r.kind,
    kindLabel: KIND_LABELS[r.kind],
    name: r.name,
    certificateNo: r.certificateNo,
    subject: r.subject,
    level: r.level,
    registeredOn: r.registeredOn,
    expiresOn: r.expiresOn,
    dueOn: r.dueOn,
    dueAction: dueActionLabel(r.kind),
    status,
    statusLabel: STATUS_LABELS[status],
    remindFrom: r.dueOn ? firstReminderOn(r.dueOn) : null,
  };
}
