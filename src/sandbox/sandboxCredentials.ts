/**
 * Fixed development credentials for the built-in WeCom sandbox. The service
 * and the sandbox helper both read this one constant so callbacks the sandbox
 * signs verify here without any configuration. Never valid against real WeCom.
 */
export const SANDBOX_CORP = {
  corpId: "wwsandbox0000000001",
  token: "SandboxToken",
  encodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  agentId: 1000002,
  agentSecret: "sandbox-agent-secret",
  contactSecret: "sandbox-contact-secret",
  customerSecret: "sandbox-customer-secret",
  archiveSecret: "sandbox-archive-secret",
} as const;
