import os from "node:os";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Config } from "../../platform/config";
import { dataKeyRingFromConfig, type DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { Logger } from "../../platform/logger";
import type { ArchiveSource } from "../../wecom";
import { ArchiveFanout } from "./archiveFanout";
import { purgeExpiredArchive, type PurgedRange } from "./archivePartitions";
import { ArchiveDrainer, type ArchiveIngestDeps } from "./drainArchive";
import { createArchiveSource } from "../../wecom";
import { randomKeyDecryptorFor } from "../../wecom";
import { replayDeadLetters, type ReplayReport } from "./replayDeadLetters";
import { parseArchivePrivateKeys } from "../../wecom";
import { searchIndexKeysFromConfig, type SearchIndexKeys } from "../searchIndex/searchIndexKeys";

/** The corp id the sandbox runs under when no real corp is configured. */
const SANDBOX_CORP_ID = "sandbox";

export interface ArchiveIngest {
  /** Also serves media (GetMediaData) for the media job. */
  source: ArchiveSource;
  fanout: ArchiveFanout;
  keyRing: DataKeyRing;
  searchKeys: SearchIndexKeys;
  /** Call on msgaudit_notify and from the periodic fallback; requests coalesce. */
  drainer: ArchiveDrainer;
  replayDeadLetters(): Promise<ReplayReport>;
  /** Daily: drop month partitions past ARCHIVE_RETENTION_DAYS. */
  purgeExpired(): Promise<PurgedRange[]>;
  close(): Promise<void>;
}

export interface ArchiveIngestServices {
  config: Config;
  logger: Logger;
  clock: Clock;
  dataSource: DataSource;
}

/**
 * Wire the archive ingest from config; undefined when the archive is not
 * configured. `apiBase` and `privateKeys` override the configured ones when
 * the service runs its own sandbox.
 */
export function createArchiveIngest(
  services: ArchiveIngestServices,
  overrides: { apiBase?: string; privateKeys?: string } = {},
): ArchiveIngest | undefined {
  const { config, logger, clock, dataSource } = services;
  const source = createArchiveSource(config, overrides.apiBase);
  if (!source) {
    logger.info("chat archive not configured (no WECOM_FINANCE_SDK_PATH): archive ingest disabled");
    return undefined;
  }
  const privateKeys = parseArchivePrivateKeys(overrides.privateKeys ?? config.WECOM_ARCHIVE_PRIVATE_KEYS);
  if (privateKeys.size === 0) logger.warn("WECOM_ARCHIVE_PRIVATE_KEYS is empty: every archived record will be dead-lettered");
  const randomKeys = randomKeyDecryptorFor(privateKeys, os.availableParallelism());
  const keyRing = dataKeyRingFromConfig(config, logger);
  const searchKeys = searchIndexKeysFromConfig(config, logger);
  const fanout = new ArchiveFanout(logger);
  const deps: ArchiveIngestDeps = {
    dataSource,
    source,
    randomKeys,
    keyRing,
    searchKeys,
    fanout,
    clock,
    logger,
    corpId: config.WECOM_CORP_ID ?? SANDBOX_CORP_ID,
  };
  return {
    source,
    fanout,
    keyRing,
    searchKeys,
    drainer: new ArchiveDrainer(deps),
    replayDeadLetters: () => replayDeadLetters(deps),
    purgeExpired: () => purgeExpiredArchive(dataSource, clock.now(), config.ARCHIVE_RETENTION_DAYS, logger),
    async close() {
      await source.close();
      await randomKeys.close();
    },
  };
}
