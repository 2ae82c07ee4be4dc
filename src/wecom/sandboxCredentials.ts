/** Fixed credentials of the built-in sandbox corp (development and tests only). */
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
