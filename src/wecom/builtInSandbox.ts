import type { Config } from "../platform/config";
import type { Background } from "../platform/lifecycle";
import type { Logger } from "../platform/logger";
import type { Clock } from "../platform/clock";
import { DEMO_CORP } from "../sandbox/demoCorp";
import { startSandbox, type Sandbox } from "../sandbox/server";

/**
 * `npm start` on a fresh machine has no WeCom: in development the service
 * starts the sandbox in-process (seeded with the demo corp) and talks to it,
 * so every flow works locally. Never in production (config refuses that).
 */
export async function startBuiltInSandbox(config: Config, clock: Clock, logger: Logger): Promise<{ sandbox: Sandbox; background: Background }> {
  const sandbox = await startSandbox({
    clock,
    port: config.SANDBOX_PORT,
    host: "127.0.0.1",
    callbackUrl: `http://127.0.0.1:${config.PORT}/wecom/callback`,
    logger: logger.child({ component: "sandbox" }),
    callbackRetryDelayMs: 1000,
  });
  sandbox.state.seed(DEMO_CORP);
  logger.warn({ url: sandbox.url }, "WeCom SANDBOX started in-process: all WeCom calls and callbacks are simulated");
  return { sandbox, background: { name: "wecom-sandbox", start: () => undefined, stop: () => sandbox.stop() } };
}
