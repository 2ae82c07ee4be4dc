/**
 * The sandbox's fixed credentials, as the gateway reads them (the sandbox owns
 * them: it signs callbacks with them and must not depend on the gateway).
 */
export { SANDBOX_CORP } from "../sandbox";
