import type { EntityManager } from "typeorm";
import { transferSuccessMessage } from "../rules/transferMessage";

/** The text that tells a parent who their new teacher is (on-job transfer message or the successor's 群发). */
export async function successorIntroduction(manager: EntityManager, leaverUserid: string, successorUserid: string): Promise<string> {
  const [row] = await manager.query(
    `SELECT s.name, s.subject,
            (SELECT r.name FROM staff l JOIN department m ON m.id = l.main_department JOIN department r ON r.id = m.path[1]
             WHERE l.userid = $1) AS school
     FROM (SELECT 1) x LEFT JOIN staff s ON s.userid = $2`,
    [leaverUserid, successorUserid],
  );
  return transferSuccessMessage({
    // A successor the mirror has no name for reads "新老师", never their userid.
    successorName: row?.name ?? "",
    schoolName: row?.school ?? "学校",
    ...(row?.subject ? { subject: row.subject } : {}),
  });
}
