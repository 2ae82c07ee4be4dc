import type { PlatformServices } from "../platform/services";
import type { Background } from "../platform/lifecycle";
import type { Job } from "../schedules/scheduler";
import type { ExternalContactEvent } from "../wecom/events/types";
import type { WeCom } from "../wecom/module";
import { recordSingleConsent } from "./archive/archiveConsent";
import { createArchiveIngest, type ArchiveIngest } from "./archive/createArchiveIngest";

export interface Conversations {
  /** Absent when the chat archive is not configured. */
  archive?: ArchiveIngest;
  jobs: Job[];
  background: Background[];
}

/**
 * The conversation mirror: drains the chat archive on msgaudit_notify (and
 * every five minutes, in case a notification was lost), records parents'
 * consent, purges past retention daily.
 */
export function createConversations(services: PlatformServices, wecom: WeCom): Conversations {
  const archive = createArchiveIngest(services, { apiBase: wecom.apiBase, privateKeys: wecom.archivePrivateKeys });
  const dispatcher = wecom.ingress?.dispatcher;
  dispatcher?.register("change_external_contact:msg_audit_approved", async (event, ctx) => {
    const e = event as ExternalContactEvent;
    await recordSingleConsent(
      ctx.manager,
      [{ staffUserid: e.userId, externalUserid: e.externalUserId, status: "agree", changedAt: new Date(e.createTime * 1000), source: "event" }],
      services.clock.now(),
    );
  });
  if (!archive) return { jobs: [], background: [] };
  // The drain runs in its own transactions after the notification is stored; never inside the inbox's.
  dispatcher?.register("msgaudit_notify", async () => void archive.drainer.request().catch((err) => services.logger.error({ err }, "archive drain failed")));
  return {
    archive,
    jobs: [
      { name: "archive-drain-fallback", cron: "0 */5 * * * *", runOnStart: true, run: async () => void (await archive.drainer.request()) },
      { name: "archive-retention-purge", cron: "0 40 3 * * *", run: async () => void (await archive.purgeExpired()) },
    ],
    background: [{ name: "archive", start: () => undefined, stop: () => archive.close() }],
  };
}
