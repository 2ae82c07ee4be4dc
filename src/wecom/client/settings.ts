import type { Config } from "../../platform/config";

/** Which WeCom secret a call's access token comes from; each secret has its own token. */
export type SecretKind = "agent" | "contact" | "customer" | "archive";

export interface WeComSecrets {
  /** The self-built app's secret; also used by the associated mini-program and OAuth. */
  agent: string;
  /** 通讯录同步 secret: the only one allowed to call user/update. */
  contact?: string;
  /** 客户联系 secret; without it, the agent secret is used (the app must be listed under 可调用应用). */
  customer?: string;
  /** 会话存档 secret. */
  archive?: string;
}

/** Everything the client needs, passed explicitly so the sandbox and tests can supply their own. */
export interface WeComClientSettings {
  corpId: string;
  apiBase: string;
  agentId: number;
  secrets: WeComSecrets;
  robotWebhookKey?: string;
}

/** Settings for a real corp from Config; throws naming the missing variable instead of failing on first call. */
export function weComClientSettingsFromConfig(config: Config): WeComClientSettings {
  const missing = (["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_AGENT_SECRET"] as const).filter(
    (name) => config[name] === undefined,
  );
  if (missing.length > 0) {
    throw new Error(`WeCom client needs ${missing.join(", ")} (or explicit sandbox settings)`);
  }
  return {
    corpId: config.WECOM_CORP_ID!,
    apiBase: config.WECOM_API_BASE,
    agentId: config.WECOM_AGENT_ID!,
    secrets: {
      agent: config.WECOM_AGENT_SECRET!,
      contact: config.WECOM_CONTACT_SECRET,
      customer: config.WECOM_CUSTOMER_SECRET,
      archive: config.WECOM_ARCHIVE_SECRET,
    },
    robotWebhookKey: config.WECOM_ROBOT_WEBHOOK_KEY,
  };
}
