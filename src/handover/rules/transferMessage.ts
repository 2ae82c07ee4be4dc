import { teacherTitle } from "../../org";

/**
 * The transfer_success_msg WeCom shows the parent (≤ 200 characters). It
 * introduces the new teacher and says the school stays responsible; it does not
 * say why the old teacher left.
 */
export const MAX_TRANSFER_MESSAGE_CHARS = 200;

export interface TransferMessageInput {
  successorName: string;
  schoolName: string;
  subject?: string;
  studentName?: string;
}

const chars = (s: string) => [...s].length;

export function transferSuccessMessage(input: TransferMessageInput): string {
  const successor = teacherTitle(input.successorName);
  const school = input.schoolName.trim();
  const subject = input.subject?.trim() ?? "";
  const student = input.studentName?.trim() ? `${input.studentName.trim()}的` : "孩子的";
  const candidates = [
    `家长您好！因教学工作调整，今后由${successor}${subject ? `（${subject}）` : ""}负责${student}学习沟通。${successor}会尽快与您联系，有任何问题都可以直接找我们。${school}感谢您一直以来的信任与支持！`,
    `家长您好！因教学工作调整，今后由${successor}负责${student}学习沟通，有问题可以直接联系。${school}感谢您的支持！`,
    `家长您好！今后由${successor}与您沟通孩子的学习，感谢您的支持！`,
  ];
  const fitting = candidates.find((c) => chars(c) <= MAX_TRANSFER_MESSAGE_CHARS);
  return fitting ?? [...candidates[candidates.length - 1]!].slice(0, MAX_TRANSFER_MESSAGE_CHARS).join("");
}
