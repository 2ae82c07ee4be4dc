import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../platform/clock";
import type { Logger } from "../platform/logger";
import type { ExternalContactProfile, FollowInfo } from "./externalContactTypes";
import { ParentStore } from "./parentStore";

export interface ParentPage {
  external_contact_list: { external_contact: ExternalContactProfile; follow_info: FollowInfo }[];
  next_cursor?: string;
}

/** WeCom's externalcontact/batch/get_by_user, behind a port. */
export interface ParentDirectorySource {
  batchGetByUser(userids: string[], cursor: string, limit: number): Promise<ParentPage>;
}

const usersPerCall = 100;
const pageSize = 100;

/**
 * Full resync of parents and follow relations. Restartable: the cursor of
 * each batch of teachers is saved in the same transaction as the page it
 * produced, so a crash resumes at the next page instead of starting over.
 * Writes carry the resync's start time, so events newer than the resync win.
 */
export async function resyncParents(
  dataSource: DataSource,
  source: ParentDirectorySource,
  staffUserids: string[],
  clock: Clock,
  logger: Logger,
): Promise<{ batches: number; pages: number; relations: number }> {
  const startedAt = clock.now();
  const sorted = [...new Set(staffUserids)].sort();
  let pages = 0;
  let relations = 0;
  let batches = 0;
  for (let i = 0; i < sorted.length; i += usersPerCall) {
    const userids = sorted.slice(i, i + usersPerCall);
    const batchKey = createHash("sha256").update(userids.join(",")).digest("hex");
    const [saved] = await dataSource.query(`SELECT cursor, finished_at FROM parent_resync_cursor WHERE batch_key = $1`, [batchKey]);
    if (saved?.finished_at) continue;
    batches++;
    let cursor: string = saved?.cursor ?? "";
    for (;;) {
      const page = await source.batchGetByUser(userids, cursor, pageSize);
      const next = page.next_cursor ?? "";
      await dataSource.transaction(async (manager) => {
        const store = new ParentStore(manager);
        for (const item of page.external_contact_list) {
          await store.upsertProfile(item.external_contact, startedAt);
          await store.upsertFollow(item.external_contact.external_userid, item.follow_info, startedAt, startedAt);
        }
        await manager.query(
          `INSERT INTO parent_resync_cursor (batch_key, cursor, finished_at, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (batch_key) DO UPDATE SET cursor = excluded.cursor, finished_at = excluded.finished_at, updated_at = excluded.updated_at`,
          [batchKey, next, next === "" ? clock.now() : null, clock.now()],
        );
      });
      pages++;
      relations += page.external_contact_list.length;
      if (next === "") break;
      cursor = next;
    }
  }
  logger.info({ batches, pages, relations }, "parents resynced");
  return { batches, pages, relations };
}

/** Forget finished batches so the next scheduled resync reads everything again. */
export async function resetResyncCursors(dataSource: DataSource): Promise<void> {
  await dataSource.query(`DELETE FROM parent_resync_cursor WHERE finished_at IS NOT NULL`);
}
