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
  const graceDays = services.config.ARCHIVE_WITHDRAWN_GRACE_DAYS;
  const routers = auth
    ? [
        conversationRoutes({ dataSource: services.dataSource, keyRing, searchKeys, searchStatus, clock: services.clock, inheritedThreads, auth: auth.console }),
        erasureHoldRoutes({ dataSource: services.dataSource, clock: services.clock, graceDays, auth: auth.console }),
      ]
    : [];
  if (!archive) return { routers, jobs: [searchIndexJob], background: [searchBackground] };
  // The drain runs in its own transactions after the notification is stored; never inside the inbox's.
  dispatcher?.register("msgaudit_notify", async () => void archive.drainer.request().catch((err) => services.logger.error({ err }, "archive drain failed")));
  const consentDeps = { dataSource: services.dataSource, msgAudit: wecom.client.msgAudit, clock: services.clock, logger: services.logger };
  const mediaDeps = { dataSource: services.dataSource, source: archive.source, keyRing, clock: services.clock, logger: services.logger };
  return {
    archive,
    routers,
    jobs: [
      { name: "archive-drain-fallback", cron: "0 */5 * * * *", runOnStart: true, run: async () => void (await archive.drainer.request()) },
      { name: "archive-retention-purge", cron: "0 40 3 * * *", run: async () => void (await archive.purgeExpired()) },
      { name: "archive-consent-refresh", cron: "0 10 4 * * *", run: async () => void (await refreshConsent(consentDeps)) },
      // After the consent refresh, so a withdrawal WeCom reported overnight counts from its own time.
      {
        name: "archive-withdrawn-erasure",
        cron: "0 30 4 * * *",
        run: async () => {
          await eraseWithdrawnPairs({ ...consentDeps, graceDays });
          await eraseWithdrawnGroupMembers({ ...consentDeps, graceDays });
        },
      },
      { name: "archive-media-fetch", cron: "30 */2 * * * *", run: async () => void (await fetchPendingMedia(mediaDeps)) },
      searchIndexJob,
    ],
    background: [searchBackground, { name: "archive", start: () => undefined, stop: () => archive.close() }],
  };
}
