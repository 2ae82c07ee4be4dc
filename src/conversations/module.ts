import type Router from "@koa/router";
import type { Auth } from "../auth";
import { dataKeyRingFromConfig } from "../platform/dataProtection/keyRing";
import type { PlatformServices } from "../platform/services";
import type { Background } from "../platform/lifecycle";
import type { Job } from "../platform/jobs";
import type { WeCom } from "../wecom";
import type { InheritedThreadsSource } from "./access/inheritedThreads";
import { consentApprovedHandler } from "./consent/consentApprovedEvents";
import { createArchiveIngest, type ArchiveIngest } from "./archive/createArchiveIngest";
import { refreshConsent } from "./consent/refreshConsent";
import { fetchPendingMedia } from "./media/fetchMedia";
import { collectMediaGarbage } from "./media/mediaObjects";
import { moveMediaIntoStore } from "./media/moveMediaIntoStore";
import { mediaStoreFromConfig } from "./media/store/mediaStoreFromConfig";
import { eraseWithdrawnGroupMembers } from "./consent/eraseWithdrawnGroupMembers";
import { eraseWithdrawnPairs } from "./consent/eraseWithdrawnPairs";
import { conversationRoutes } from "./routes/conversationRoutes";
import { erasureHoldRoutes } from "./routes/erasureHoldRoutes";
import { backfillSearchIndex } from "./searchIndex/backfillSearchIndex";
import { searchIndexKeysFromConfig } from "./searchIndex/searchIndexKeys";
import { createSearchIndexMetrics } from "./searchIndex/searchIndexMetrics";
import { SearchIndexStatus } from "./searchIndex/searchIndexStatus";

export interface Conversations {
  /** Absent when the chat archive is not configured. */
  archive?: ArchiveIngest;
  routers: Router[];
  jobs: Job[];
  background: Background[];
}

/**
 * The conversation mirror: drains the chat archive on msgaudit_notify (and
 * every five minutes, in case a notification was lost), records parents'
 * consent (events, and a daily check with WeCom), fetches media, purges past
 * retention daily, and serves policy-checked reads and exports to the console
 * (when `auth` is given).
 */
export function createConversations(services: PlatformServices, wecom: WeCom, inheritedThreads: InheritedThreadsSource, auth?: Auth): Conversations {
  const archive = createArchiveIngest(services, { apiBase: wecom.apiBase, privateKeys: wecom.archivePrivateKeys });
  const dispatcher = wecom.ingress?.dispatcher;
  dispatcher?.registerBatch("change_external_contact:msg_audit_approved", consentApprovedHandler(services.clock));
  // Stored conversations stay readable (and searchable) even when ingest is switched off.
  const keyRing = archive?.keyRing ?? dataKeyRingFromConfig(services.config, services.logger);
  const searchKeys = archive?.searchKeys ?? searchIndexKeysFromConfig(services.config, services.logger);
  const searchStatus = new SearchIndexStatus(services.dataSource, searchKeys.activeKeyId);
  const searchMetrics = createSearchIndexMetrics(services.metrics.registry);
  const stopping = new AbortController();
  // Back-fill of messages stored before the index existed, and re-index after an index-key rotation:
  // resumable by construction (the rows say what is left), so a minute's cron and a restart are enough.
  const searchIndexJob: Job = {
    name: "archive-search-index-backfill",
    cron: "20 * * * * *",
    runOnStart: true,
    run: async () =>
      void (await backfillSearchIndex(
        { dataSource: services.dataSource, keyRing, searchKeys, logger: services.logger, metrics: searchMetrics },
        { signal: stopping.signal, onBatch: (p) => searchStatus.report(p.remaining + p.failed) },
      )),
  };
  const searchBackground: Background = { name: "archive-search-index", start: () => undefined, stop: async () => stopping.abort() };
  // Media's sealed bytes live in the object store (files in the data folder, or S3/MinIO); rows keep the address.
  const mediaStore = mediaStoreFromConfig(services.config);
  const mediaObjects = { dataSource: services.dataSource, keyRing, store: mediaStore, clock: services.clock };
  const collectGarbage = async () => {
    const report = await collectMediaGarbage(mediaObjects);
    if (report.deleted > 0 || report.failed > 0) services.logger.info({ ...report, store: mediaStore.description }, "unreferenced archive media deleted from the object store");
  };
  const mediaJobs: Job[] = [
    // Rows stored before the object store existed: moved in batches, resumable (the rows say what is left).
    { name: "archive-media-move", cron: "40 */10 * * * *", runOnStart: true, run: async () => void (await moveMediaIntoStore({ ...mediaObjects, logger: services.logger }, { signal: stopping.signal })) },
    // The safety net behind the erasure and retention jobs, which collect right after they delete.
    { name: "archive-media-gc", cron: "50 */10 * * * *", run: collectGarbage },
  ];
  const mediaBackground: Background = { name: "archive-media-store", start: () => undefined, stop: async () => mediaStore.close?.() };
  const graceDays = services.config.ARCHIVE_WITHDRAWN_GRACE_DAYS;
  const routers = auth
    ? [
        conversationRoutes({ dataSource: services.dataSource, keyRing, searchKeys, searchStatus, clock: services.clock, inheritedThreads, mediaStore, auth: auth.console }),
        erasureHoldRoutes({ dataSource: services.dataSource, clock: services.clock, graceDays, auth: auth.console }),
      ]
    : [];
  if (!archive) return { routers, jobs: [searchIndexJob, ...mediaJobs], background: [searchBackground, mediaBackground] };
  // The drain runs in its own transactions after the notification is stored; never inside the inbox's.
  dispatcher?.register("msgaudit_notify", async () => void archive.drainer.request().catch((err) => services.logger.error({ err }, "archive drain failed")));
  const consentDeps = { dataSource: services.dataSource, msgAudit: wecom.client.msgAudit, clock: services.clock, logger: services.logger };
  const mediaDeps = { ...mediaObjects, source: archive.source, logger: services.logger };
  return {
    archive,
    routers,
    jobs: [
      { name: "archive-drain-fallback", cron: "0 */5 * * * *", runOnStart: true, run: async () => void (await archive.drainer.request()) },
      {
        name: "archive-retention-purge",
        cron: "0 40 3 * * *",
        run: async () => {
          await archive.purgeExpired();
          await collectGarbage(); // media whose last message left retention
        },
      },
      { name: "archive-consent-refresh", cron: "0 10 4 * * *", run: async () => void (await refreshConsent(consentDeps)) },
      // After the consent refresh, so a withdrawal WeCom reported overnight counts from its own time.
      {
        name: "archive-withdrawn-erasure",
        cron: "0 30 4 * * *",
        run: async () => {
          await eraseWithdrawnPairs({ ...consentDeps, graceDays });
          await eraseWithdrawnGroupMembers({ ...consentDeps, graceDays });
          await collectGarbage(); // PIPL: an erased file leaves the object store too, unless another kept message shares it
        },
      },
      { name: "archive-media-fetch", cron: "30 */2 * * * *", run: async () => void (await fetchPendingMedia(mediaDeps)) },
      searchIndexJob,
      ...mediaJobs,
    ],
    background: [searchBackground, mediaBackground, { name: "archive", start: () => undefined, stop: () => archive.close() }],
  };
}
