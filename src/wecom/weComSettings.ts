import { usesWeComSandbox, type Config } from "../platform/config";
import { weComClientSettingsFromConfig, type WeComClientSettings } from "./client/settings";
import { SANDBOX_CORP } from "./sandboxCredentials";

/** The default API host: in sandbox mode it means "no sandbox URL was given". */
export const REAL_WECOM_API_BASE = "https://qyapi.weixin.qq.com";

/** Client settings for the real corp, or the sandbox corp's fixed credentials at `apiBase`. */
export function resolveWeComSettings(config: Config, apiBase = config.WECOM_API_BASE): WeComClientSettings {
  if (!usesWeComSandbox(config)) return weComClientSettingsFromConfig(config);
  return {
    corpId: SANDBOX_CORP.corpId,
    apiBase,
    agentId: SANDBOX_CORP.agentId,
    secrets: {
      agent: SANDBOX_CORP.agentSecret,
      contact: SANDBOX_CORP.contactSecret,
      customer: SANDBOX_CORP.customerSecret,
      archive: SANDBOX_CORP.archiveSecret,
    },
    robotWebhookKey: config.WECOM_ROBOT_WEBHOOK_KEY ?? "sandbox-robot-key",
  };
}
