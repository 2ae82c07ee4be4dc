/**
 * A scheduled piece of work a capability hands to the scheduler. It lives in
 * the platform, beside the other contracts every capability implements, so
 * that a capability declaring its jobs does not depend on the scheduling
 * capability (which composes them), and the scheduler does not depend back.
 */
export interface Job {
  name: string;
  /** Cron expression (seconds optional), evaluated in China time. */
  cron: string;
  /** Must be idempotent: it claims due work row by row, so a second instance or a rerun finds nothing to do. */
  run(): Promise<void>;
  /**
   * Also run once when the service starts (e.g. the first directory sync):
   * once per start-up window across the fleet, so instances started together
   * (a rolling deploy, a scale-out) do not all run it.
   */
  runOnStart?: boolean;
}
