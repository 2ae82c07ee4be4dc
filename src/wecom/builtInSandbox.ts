import type { Config } from "../platform/config";
import type { Background } from "../platform/lifecycle";
import type { Logger } from "../platform/logger";
import type { Clock } from "../platform/clock";
import path from "node:path";
import { loadOrCreateArchiveKey, SANDBOX_ARCHIVE_KEY_VERSION } from "../sandbox";
import { DEMO_CORP, DEMO_DEVTOOLS_USER } from "../sandbox";
import { startSandbox, type Sandbox } from "../sandbox";

/**
 * `npm start` on a fresh machine has no WeCom: in development the service
 * starts the sandbox in-process (seeded with the demo corp) and talks to it,
 * so every flow works locally. Never in production (config refuses that).
 */
export interface BuiltInSandbox {
  sandbox: Sandbox;
  /** JSON for WECOM_ARCHIVE_PRIVATE_KEYS: the sandbox's archive key, kept beside the embedded database. */
  archivePrivateKeys: string;
  background: Background;
}

export async function startBuiltInSandbox(config: Config, clock: Clock, logger: Logger): Promise<BuiltInSandbox> {
  const sandbox = await startSandbox({
    clock,
    port: config.SANDBOX_PORT,
    host: "127.0.0.1",
    callbackUrl: `http://127.0.0.1:${config.PORT}/wecom/callback`,
    logger: logger.child({ component: "sandbox" }),
    callbackRetryDelayMs: 1000,
    // The console is opened as localhost or 127.0.0.1, or at its public address: the app trusts all three.
    trustedDomains: [`localhost:${config.PORT}`, ...(config.PUBLIC_BASE_URL ? [new URL(config.PUBLIC_BASE_URL).host] : [])],
    // WeChat DevTools' login codes sign in as the demo corp's teacher unless the developer picks someone else.
    devToolsLogin: { signInAs: config.SANDBOX_DEVTOOLS_USER ?? DEMO_DEVTOOLS_USER },
  });
  sandbox.state.seed(DEMO_CORP);
  const { privateKeyPem } = loadOrCreateArchiveKey(sandbox.archive, path.join(path.dirname(path.resolve(config.EMBEDDED_PG_DIR)), "sandbox"));
  logger.warn({ url: sandbox.url }, "WeCom SANDBOX started in-process: all WeCom calls and callbacks are simulated");
  const devToolsUser = sandbox.devTools?.signsInAs;
  logger.warn(
    { devToolsUser: devToolsUser?.userid ?? null, choose: `http://127.0.0.1:${sandbox.port}/sandbox/devtools-login` },
    devToolsUser
      ? `WeChat DevTools mini-program logins sign in as ${devToolsUser.name} (${devToolsUser.userid}); choose another member on the sandbox page or with SANDBOX_DEVTOOLS_USER`
      : "WeChat DevTools mini-program logins are refused until a member is chosen on the sandbox page (SANDBOX_DEVTOOLS_USER names no active member)",
  );
  return {
    sandbox,
    archivePrivateKeys: JSON.stringify({ [SANDBOX_ARCHIVE_KEY_VERSION]: privateKeyPem }),
    background: { name: "wecom-sandbox", start: () => undefined, stop: () => sandbox.stop() },
  };
}
