import type { Clock } from "../platform/clock";
import type { Logger } from "../platform/logger";
import type { ChatArchive } from "./archive/chatArchive";
import type { ArchiveNotifier } from "./archive/archiveNotifier";
import type { CallbackDeliverer } from "./callbacks/deliverer";
import type { OneTimeCodes } from "./state/oneTimeCodes";
import type { SandboxState } from "./state/sandboxState";
import type { TokenStore } from "./state/tokens";
import type { SandboxCorp } from "./state/types";
import type { CustomerTransfers } from "./transfers/customerTransfers";
import type { DevToolsLogin } from "./login/devToolsLogin";

/** A response_code is tied to the card (task) it can update. */
export interface ResponseCodeTarget {
  taskId: string;
  msgid: string;
}

/** The sandbox's parts, shared by routes and actors. */
export interface SandboxCore {
  corp: SandboxCorp;
  clock: Clock;
  logger: Logger;
  state: SandboxState;
  tokens: TokenStore;
  callbacks: CallbackDeliverer;
  archive: ChatArchive;
  archiveNotifier: ArchiveNotifier;
  transfers: CustomerTransfers;
  codes: {
    miniProgram: OneTimeCodes<string>;
    oauth: OneTimeCodes<string>;
    responseCodes: OneTimeCodes<ResponseCodeTarget>;
  };
  /** Local development only: whom WeChat DevTools' login codes sign in as (absent: they are refused, as WeCom would). */
  devTools?: DevToolsLogin;
}
