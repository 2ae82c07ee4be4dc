import type { EntityManager } from "typeorm";
import type { Clock } from "../platform/clock";
import type { Logger } from "../platform/logger";
import type { LastDayStepPorts } from "./lastDay/lastDaySteps";

/** What the resignation commands need besides a transaction. */
export interface ResignationDeps {
  clock: Clock;
  logger: Logger;
  /** Base of links on cards (查看详情). */
  publicBaseUrl: string;
  /** The associated mini-program; without it the bot answers in plain text. */
  miniProgramAppId?: string;
  /** Called after a commit that queued messages. */
  wakeOutbox(): void;
  /** After a case reaches its last day (committed): hand the leaver's parents and groups to successors. */
  onLastDay?(employeeUserid: string, caseId: string): Promise<void>;
  /** The last day's ordered steps before onLastDay: final archive drain, account disabled at the branch's hour. */
  lastDaySteps?: Omit<LastDayStepPorts, "startTransfers">;
  /** After a notice is signed or registered, or a case withdrawn (committed): the leaver lockdown reconciles. */
  onLockdownChanged?(): void;
  /**
   * Who each of a leaver's parents goes to (null: nobody eligible), from the handover capability's one
   * successor rule; the checklist names these. Absent: the checklist suggests nobody.
   */
  successorsOf?(manager: EntityManager, leaverUserid: string): Promise<Map<string, string | null>>;
}
