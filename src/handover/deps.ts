import type { DataSource } from "typeorm";
import type { Clock } from "../platform/clock";
import type { Logger } from "../platform/logger";
import type { WeComClient } from "../wecom";

/** What the reassignment lifecycle runs on. */
export interface HandoverDeps {
  dataSource: DataSource;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
}
