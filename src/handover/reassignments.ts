import { rememberGroupChatNames } from "../parents";
import type { EntityManager } from "typeorm";
import { StaffStatus } from "../org";
import { WeComApiError } from "../wecom";
import { resignedTransferClosed } from "./rules/successorEligibility";
import { ConflictError, ValidationError } from "../platform/errors";
import type { HandoverDeps } from "./deps";
import { listOwnedGroups, planGroupRows } from "./groups/groupTransfers";
import { activeParents } from "./plan/leaverParents";
import { findPlan, savePlan, type PlanOrigin } from "./plan/planStore";
import { canTransferOnJob, onJobTransferAvailableAt } from "./rules/transferBatches";
import { MAX_TRANSFER_MESSAGE_CHARS } from "./rules/transferMessage";
import { transferModeFor, type TransferMode } from "./rules/transferMode";
import { withBackoff } from "./transfers/customerTransfers";
import { advance, saveTransfers, selectTransfers } from "./transfers/transferStore";

export interface StartResult {
  parentsQueued: number;
  parentsWaitingForQuota: number;
  groupsPlanned: number;
}

/**
 * Starting a reassignment: the plan's parents become transfer rows (the
 * runner sends them) and its groups are spread over days. Parents already
 * moving or moved for this leaver are left alone, so starting twice, or the
 * resigned start after an on-job one, never transfers a parent twice.
 */
export class Reassignments {
  constructor(private readonly deps: HandoverDeps) {}

  /** Builds (or refreshes, keeping HR's picks) the plan from the leaver's current parents and groups. */
  async preparePlan(leaverUserid: string, options: { caseId?: string; origin?: PlanOrigin; parentIds?: string[] } = {}): Promise<void> {
    const groupIds = await listOwnedGroups(this.deps.client, leaverUserid);
    await rememberGroupChatNames(this.deps.dataSource.manager, this.deps.client, groupIds, this.deps.clock.now());
    const customerContactRange = await this.customerContactRange();
    await this.deps.dataSource.transaction(async (manager) => {
      const parentIds = options.parentIds ?? (await activeParents(manager, leaverUserid));
      await savePlan(
        manager,
        leaverUserid,
        { parentIds, groupIds },
        { origin: options.origin ?? "case", caseId: options.caseId ?? null, now: this.deps.clock.now(), customerContactRange },
      );
    });
  }

  /** Who may take parents over (客户联系 range); null when WeCom would not say (then not checked at planning). */
  private async customerContactRange(): Promise<string[] | null> {
    try {
      return await this.deps.client.externalContact.followUserList();
    } catch (err) {
      if (!(err instanceof WeComApiError)) throw err;
      this.deps.logger.warn({ errcode: err.errcode }, "客户联系 range unreadable: successors are not checked against it");
      return null;
    }
  }

  /** 离职继承 on the last day: everything not yet with a successor goes through the resigned endpoints. */
  async startResignedReassignment(
    leaverUserid: string,
    options: { caseId?: string; origin?: PlanOrigin; parentIds?: string[] } = {},
  ): Promise<StartResult> {
    const [left] = await this.deps.dataSource.query(`SELECT left_at FROM staff WHERE userid = $1`, [leaverUserid]);
    if (resignedTransferClosed(left?.left_at ?? null, this.deps.clock.now())) {
      throw new ConflictError("该员工离职已超过一年，企业微信不再允许离职继承；请由接替老师直接添加家长");
    }
    const existing = await findPlan(this.deps.dataSource.manager, leaverUserid);
    if (!existing || existing.state !== "started") await this.preparePlan(leaverUserid, options);
    return this.deps.dataSource.transaction(async (manager) => {
      const now = this.deps.clock.now();
      await manager.query(`SELECT 1 FROM reassignment_plan WHERE leaver_userid = $1 FOR UPDATE`, [leaverUserid]);
      // On-job transfers that are not moving (not yet sent, or waiting to retry) are replaced by resigned ones.
      await manager.query(
        `UPDATE customer_transfer SET superseded_at = $2, updated_at = $2
         WHERE leaver_userid = $1 AND mode = 'on_job' AND superseded_at IS NULL
           AND ((status = 'requested' AND call_id IS NULL) OR (status = 'failed' AND retryable))`,
        [leaverUserid, now],
      );
      const queued = await insertTransfers(manager, leaverUserid, "resigned", now);
      const groupsPlanned = await planGroupRows(manager, leaverUserid, "resigned", now);
      await markStarted(manager, leaverUserid, now);
      return { parentsQueued: queued, parentsWaitingForQuota: 0, groupsPlanned };
    });
  }

  /**
   * 在职继承 before the last day, from the reviewed plan, with the message
   * WeCom shows the parent. Parents already transferred twice in 90 days wait
   * for their quota (or for the resigned transfer on the last day).
   */
  async startOnJobReassignment(leaverUserid: string, options: { message?: string } = {}): Promise<StartResult> {
    if (options.message !== undefined && [...options.message].length > MAX_TRANSFER_MESSAGE_CHARS) {
      throw new ValidationError(`转接提示语不能超过${MAX_TRANSFER_MESSAGE_CHARS}字`, [{ path: "message", message: "too long" }]);
    }
    return this.deps.dataSource.transaction(async (manager) => {
      const now = this.deps.clock.now();
      const [plan] = await manager.query(`SELECT state FROM reassignment_plan WHERE leaver_userid = $1 FOR UPDATE`, [leaverUserid]);
      if (!plan) throw new ConflictError("请先生成并确认交接方案");
      if (plan.state === "draft") throw new ConflictError("交接方案尚未确认");
      const [staff] = await manager.query(`SELECT status FROM staff WHERE userid = $1`, [leaverUserid]);
      if (transferModeFor(staff?.status ?? StaffStatus.left) !== "on_job") {
        throw new ConflictError("该员工在企业微信中已离职，只能使用离职继承");
      }
      await manager.query(`UPDATE reassignment_plan SET on_job_message = $2 WHERE leaver_userid = $1`, [leaverUserid, options.message ?? null]);
      const queued = await insertTransfers(manager, leaverUserid, "on_job", now);
      const waiting = await holdOverQuota(manager, leaverUserid, now);
      const groupsPlanned = await planGroupRows(manager, leaverUserid, "on_job", now);
      await markStarted(manager, leaverUserid, now);
      return { parentsQueued: queued - waiting, parentsWaitingForQuota: waiting, groupsPlanned };
    });
  }
}

/** One row per planned parent that has no transfer under way or done for this leaver. */
async function insertTransfers(manager: EntityManager, leaverUserid: string, mode: TransferMode, now: Date): Promise<number> {
  const rows = await manager.query(
    `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, requested_at, updated_at)
     SELECT i.leaver_userid, i.successor_userid, i.item_id, $2, 'requested', $3, $3 FROM reassignment_item i
     WHERE i.leaver_userid = $1 AND i.kind = 'parent' AND i.successor_userid IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM customer_transfer t WHERE t.leaver_userid = i.leaver_userid AND t.external_userid = i.item_id
                       AND t.superseded_at IS NULL AND (t.status IN ('requested','waiting','done') OR (t.status = 'failed' AND t.retryable)))
     ORDER BY i.successor_userid, i.item_id
     ON CONFLICT DO NOTHING RETURNING id`,
    [leaverUserid, mode, now],
  );
  return rows.length;
}

/**
 * The 2-per-90-days quota: a parent whose earlier on-job transfers (started
 * and not refused) used it up waits, as a retryable failure, until it frees.
 */
async function holdOverQuota(manager: EntityManager, leaverUserid: string, now: Date): Promise<number> {
  const rows = await selectTransfers(
    manager,
    `leaver_userid = $1 AND mode = 'on_job' AND status = 'requested' AND call_id IS NULL AND superseded_at IS NULL`,
    [leaverUserid],
    "wait",
  );
  const history: { external_userid: string; started: Date[] }[] = await manager.query(
    `SELECT external_userid, array_agg(requested_at) AS started FROM customer_transfer
     WHERE external_userid = ANY($1) AND mode = 'on_job' AND status IN ('waiting','done','successor_over_limit') GROUP BY external_userid`,
    [rows.map((r) => r.externalUserId)],
  );
  const startedOf = new Map(history.map((h) => [h.external_userid, h.started]));
  const held = rows
    .filter((r) => !canTransferOnJob(startedOf.get(r.externalUserId) ?? [], now))
    .map((r) => {
      const availableAt = onJobTransferAvailableAt(startedOf.get(r.externalUserId) ?? [], now);
      return withBackoff(advance(r, { type: "quota_exhausted", availableAt, at: now }), now);
    });
  await saveTransfers(manager, held);
  return held.length;
}

async function markStarted(manager: EntityManager, leaverUserid: string, now: Date): Promise<void> {
  await manager.query(`UPDATE reassignment_plan SET state = 'started', updated_at = $2 WHERE leaver_userid = $1`, [leaverUserid, now]);
}
