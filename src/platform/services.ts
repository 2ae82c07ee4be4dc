import type { DataSource } from "typeorm";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";

/** What every capability gets from the platform. Capability-specific services are built in src/compose.ts. */
export interface PlatformServices {
  config: Config;
  logger: Logger;
  clock: Clock;
  dataSource: DataSource;
  metrics: Metrics;
}
