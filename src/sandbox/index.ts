/**
 * A stand-in for WeCom's servers (HTTP API, callbacks, chat archive) that behaves like the real API.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { DEMO_CORP, DEMO_CORP_ROLES, DEMO_DEVTOOLS_USER } from "./demoCorp";
export { SANDBOX_CORP } from "./sandboxCredentials";
export { startSandbox } from "./server";
export type { Sandbox } from "./server";
export { SANDBOX_ARCHIVE_KEY_VERSION, loadOrCreateArchiveKey } from "./archive/archiveKeyFile";
export type { SeedInput } from "./state/seed";
