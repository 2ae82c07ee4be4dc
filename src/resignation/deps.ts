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
  /** The last day's ordered steps before the transfers: final archive drain, account disabled at the branch's hour. */
  lastDaySteps?: LastDayStepPorts;
  /** After a notice is signed or registered, or a case withdrawn (committed): the leaver lockdown reconciles. */
  onLockdownChanged?(): void;
  /**
   * Who each of a leaver's parents goes to (null: nobody eligible), from the handover capability's one
   * successor rule; the checklist names these. Absent: the checklist suggests nobody.
   */
  successorsOf?(manager: EntityManager, leaverUserid: string): Promise<Map<string, string | null>>;
}
