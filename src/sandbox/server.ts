import http from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { systemClock, type Clock } from "../platform/clock";
import { silentLogger, type Logger } from "../platform/logger";
import { SANDBOX_CORP } from "./sandboxCredentials";
import { createActors, type SandboxActors } from "./actors";
import { ArchiveNotifier } from "./archive/archiveNotifier";
import { ChatArchive } from "./archive/chatArchive";
import { CallbackDeliverer } from "./callbacks/deliverer";
import { CallLog } from "./callLog";
import type { SandboxCore } from "./core";
import { Faults } from "./faults";
import { dispatch } from "./http/dispatch";
import { DevToolsLogin } from "./login/devToolsLogin";
import { devToolsLoginPage } from "./login/devToolsLoginPage";
import { loginPages } from "./login/loginPages";
import { allRoutes } from "./routes";
import { OneTimeCodes } from "./state/oneTimeCodes";
import { SandboxState, type SandboxLimits } from "./state/sandboxState";
import { TokenStore } from "./state/tokens";
import type { SandboxCorp } from "./state/types";
import { CustomerTransfers } from "./transfers/customerTransfers";

export interface SandboxOptions {
  clock?: Clock;
  /** 0 (default) asks the OS for a free port. */
  port?: number;
  host?: string;
  corp?: SandboxCorp;
  /** Where events are POSTed; can be set later with `callbacks.setUrl`. */
  callbackUrl?: string;
  logger?: Logger;
  limits?: Partial<SandboxLimits>;
  /** Callback timeout (WeCom: 5 s) and pause between tries; tests shorten them. */
  callbackTimeoutMs?: number;
  callbackRetryDelayMs?: number;
  /**
   * The app's trusted domains (host[:port]) for its login pages' redirect_uri. The host of the callback URL is
   * always trusted too: the admin set both to the service's domain.
   */
  trustedDomains?: string[];
  /**
   * Local development only (the built-in sandbox, `npm run sandbox`, `demo --serve`): accept WeChat DevTools'
   * wx.qy.login codes, which the sandbox never issued, as `signInAs` (changeable at /sandbox/devtools-login).
   * Without it such codes answer 40029, as real WeCom answers a code it did not issue.
   */
  devToolsLogin?: { signInAs?: string };
}

export interface Sandbox {
  url: string;
  port: number;
  corp: SandboxCorp;
  state: SandboxState;
  actors: SandboxActors;
  faults: Faults;
  calls: CallLog;
  archive: ChatArchive;
  callbacks: CallbackDeliverer;
  /** Present only with the devToolsLogin option. */
  devTools?: DevToolsLogin;
  /** Lets sandbox time act: completes due transfers, sends due archive notifications; resolves when their callbacks are delivered. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

const FIVE_MINUTES = 5 * 60_000;
/**
 * A card's response_code works once within 72 h: "response_code的有效期是72小时" (Tencent path/94945, the
 * update_template_card page as updated 2025-07-24) and path/90236's reply field ("72小时内有效，且只能使用一次", as
 * transcribed in a public Go client's message.Resp).
 * The 24 h that path/94888 once said is superseded.
 */
const RESPONSE_CODE_LIFETIME = 72 * 3_600_000;

/** A local WeCom: same paths, fields, errcodes, limits and callbacks, on an injected clock. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const corp = options.corp ?? SANDBOX_CORP;
  const state = new SandboxState(clock, { customerCap: 5000, ...options.limits });
  const tokens = new TokenStore(clock);
  const callbacks = new CallbackDeliverer({
    corp,
    clock,
    logger,
    url: options.callbackUrl,
    timeoutMs: options.callbackTimeoutMs,
    retryDelayMs: options.callbackRetryDelayMs,
  });
  const archive = new ChatArchive(clock, corp.archiveSecret);
  const core: SandboxCore = {
    corp,
    clock,
    logger,
    state,
    tokens,
    callbacks,
    archive,
    archiveNotifier: new ArchiveNotifier(clock, callbacks, corp.agentId),
    transfers: new CustomerTransfers(state, clock, callbacks),
    codes: {
      // Remembers its codes so a spent or expired one is never mistaken for a DevTools code.
      miniProgram: new OneTimeCodes(clock, FIVE_MINUTES, { rememberIssued: true }),
      oauth: new OneTimeCodes(clock, FIVE_MINUTES),
      responseCodes: new OneTimeCodes(clock, RESPONSE_CODE_LIFETIME),
    },
    devTools: options.devToolsLogin ? new DevToolsLogin(state, options.devToolsLogin.signInAs) : undefined,
  };
  const faults = new Faults(tokens);
  const calls = new CallLog();

  function advance(): Array<Promise<unknown>> {
    const fired: Array<Promise<unknown>> = core.transfers.completeDue();
    const notify = core.archiveNotifier.flush();
    if (notify) fired.push(notify);
    return fired;
  }

  const app = new Koa();
  app.silent = true;
  const trustedHosts = () => {
    const callbackHost = callbacks.target ? new URL(callbacks.target).host : undefined;
    return [...(options.trustedDomains ?? []), ...(callbackHost ? [callbackHost] : [])];
  };
  // Browser pages first (they answer HTML, not `{errcode}`), then the API.
  app.use(loginPages(core, trustedHosts));
  if (core.devTools) app.use(devToolsLoginPage(state, core.devTools));
  app.use(dispatch({ routes: allRoutes(core), tokens, faults, calls, clock, logger, beforeEach: () => void advance() }));
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    corp,
    state,
    actors: createActors(core),
    faults,
    calls,
    archive,
    callbacks,
    devTools: core.devTools,
    async tick() {
      await Promise.allSettled(advance());
    },
    async stop() {
      await callbacks.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
