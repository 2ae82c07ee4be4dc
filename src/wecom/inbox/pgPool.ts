/** The inbox's and outbox's direct pool access is the platform's (one round trip per statement). */
export { pgPool } from "../../platform/db/pgPool";
