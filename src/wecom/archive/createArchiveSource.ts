import { usesWeComSandbox, type Config } from "../../platform/config";
import type { ArchiveSource } from "./archiveSource";
import { FinanceSdkSource } from "./financeSdkSource";
import { SandboxFeedSource } from "./sandboxFeedSource";

/**
 * Production reads the archive through Tencent's native SDK
 * (WECOM_FINANCE_SDK_PATH); development without a corp uses the sandbox
 * feed. Anything else means the archive is not configured: undefined.
 */
export function createArchiveSource(config: Config, apiBase = config.WECOM_API_BASE): ArchiveSource | undefined {
  if (config.WECOM_FINANCE_SDK_PATH) {
    if (!config.WECOM_CORP_ID || !config.WECOM_ARCHIVE_SECRET) {
      throw new Error("WECOM_FINANCE_SDK_PATH needs WECOM_CORP_ID and WECOM_ARCHIVE_SECRET");
    }
    return new FinanceSdkSource({ libraryPath: config.WECOM_FINANCE_SDK_PATH, corpId: config.WECOM_CORP_ID, secret: config.WECOM_ARCHIVE_SECRET });
  }
  if (usesWeComSandbox(config)) {
    return new SandboxFeedSource({ apiBase, secret: config.WECOM_ARCHIVE_SECRET ?? "sandbox-archive-secret" });
  }
  return undefined;
}
