import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { recordSingleConsent } from "../../../src/conversations/archive/archiveConsent";
import { drainArchive } from "../../../src/conversations/archive/drainArchive";
import { ArchiveFanout } from "../../../src/conversations/archive/archiveFanout";
import type { ArchiveSource } from "../../../src/wecom/archive/archiveSource";
import { InlineRandomKeyDecryptor } from "../../../src/wecom/archive/randomKeyDecryptor";
import { sandboxDecryptChatMsg } from "../../../src/wecom/archive/sandboxChatCipher";
import { TestClock } from "../../../src/platform/clock";
import { DataKeyRing } from "../../../src/platform/dataProtection/keyRing";
import { silentLogger } from "../../../src/platform/logger";
import { SearchIndexKeys } from "../../../src/conversations/searchIndex/searchIndexKeys";
import { chatRecord, rsaPair } from "./archiveFixtures";

export const pair = rsaPair();
export const dataKey = randomBytes(32);
export const keyRing = new DataKeyRing({ k1: dataKey }, "k1");
export const searchKey = randomBytes(32);
export const searchKeys = new SearchIndexKeys({ s1: searchKey }, "s1");

/**
 * A small chain: HQ (1) with campus A (2) and campus B (3). Teachers 张 and 李
 * in A, 王 in B; HR and a campus head of A, HR of B, an HQ admin.
 */
export async function seedOrg(db: DataSource): Promise<void> {
  await db.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES
    (1, '总部', NULL, 'hq', '{1}'), (2, 'A校区', 1, 'campus', '{1,2}'), (3, 'B校区', 1, 'campus', '{1,3}')`);
  await db.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES
    ('t_zhang', '张老师', '{2}', 2), ('t_li', '李老师', '{2}', 2), ('t_wang', '王老师', '{3}', 3),
    ('hr_a', 'A校区人事', '{2}', 2), ('head_a', 'A校区校长', '{2}', 2), ('hr_b', 'B校区人事', '{3}', 3), ('hq', '总部管理员', '{1}', 1)`);
  await db.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES
    ('hr_a', 'hr', 2, 'seed'), ('head_a', 'campus_head', 2, 'seed'), ('hr_b', 'hr', 3, 'seed'), ('hq', 'hq_admin', NULL, 'seed')`);
  await db.query(`INSERT INTO external_contact (external_userid, name, updated_at) VALUES
    ('wmA', '小明妈妈', now()), ('wmB', '小红爸爸', now()), ('wmC', '小刚妈妈', now())`);
}

export async function consentAll(db: DataSource, pairs: Array<[string, string]>, at: Date): Promise<void> {
  await recordSingleConsent(
    db,
    pairs.map(([staffUserid, externalUserid]) => ({ staffUserid, externalUserid, status: "agree" as const, changedAt: at, source: "check_single_agree" as const })),
    at,
  );
}

/** Store these WeCom messages through the real ingest (drain). */
export async function ingest(
  db: DataSource,
  messages: Record<string, unknown>[],
  source?: Partial<ArchiveSource>,
  index: SearchIndexKeys | null = searchKeys,
): Promise<void> {
  // A later call continues the archive where the last one stopped, as WeCom's seq does.
  const [cursor] = await db.query(`SELECT last_seq FROM archive_cursor WHERE corp_id = 'ww-test'`);
  const firstSeq = cursor ? Number(cursor.last_seq) + 1 : 1;
  const records = messages.map((m, i) => chatRecord(firstSeq + i, m, pair.publicKey));
  const base: ArchiveSource = {
    getChatData: async (seq, limit) => ({ chatdata: records.filter((r) => r.seq > seq).slice(0, limit) }),
    decryptData: sandboxDecryptChatMsg,
    getMediaData: async () => {
      throw new Error("no media");
    },
    close: async () => undefined,
  };
  await drainArchive({
    dataSource: db,
    source: { ...base, ...source },
    randomKeys: new InlineRandomKeyDecryptor(new Map([[1, pair.privateKey]])),
    keyRing,
    searchKeys: index ?? undefined,
    fanout: new ArchiveFanout(silentLogger()),
    clock: new TestClock(),
    logger: silentLogger(),
    corpId: "ww-test",
  });
}
