import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { PollingWorker } from "../../platform/pollingWorker";
import type { WeComClient } from "../../wecom";
import { watchLeaverGroupSends, type GroupSendHit } from "./leaverGroupSends";
import { syncLeaverLockdown, type LockdownRun } from "./leaverLockdown";

export interface LockdownPass {
  lockdown: LockdownRun;
  groupSends: GroupSendHit[];
}

/**
 * Keeps leavers in their branch's intercept rule and watches their
 * group-send records: woken after every resignation write (signing,
 * registration, withdrawal) and every minute otherwise.
 */
export class LockdownWorker extends PollingWorker {
  readonly name = "leaver-lockdown";
  lastPass: LockdownPass | undefined;

  constructor(
    private readonly deps: { dataSource: DataSource; client: WeComClient; clock: Clock; logger: Logger; publicBaseUrl: string; onAlerts(): void },
    pollMs = 60_000,
  ) {
    super(pollMs, deps.logger);
  }

  /** One reconciliation and one look at the group-send records (tests and the demo call it by hand through drain()). */
  protected async pass(): Promise<number> {
    const lockdown = await syncLeaverLockdown(this.deps);
    const groupSends = await watchLeaverGroupSends(this.deps);
    if (groupSends.length > 0) this.deps.onAlerts();
    this.lastPass = { lockdown, groupSends };
    return lockdown.locked.length + lockdown.released.length + groupSends.length;
  }
}
