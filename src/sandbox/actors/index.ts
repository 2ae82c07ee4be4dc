import type { SandboxCore } from "../core";
import { appActors } from "./appActors";
import { archiveActors } from "./archiveActors";
import { customerActors } from "./customerActors";
import { directoryActors } from "./directoryActors";
import { groupChatActors } from "./groupChatActors";

/** People doing things on the WeCom side; each change produces the callback WeCom would send. */
export function createActors(core: SandboxCore) {
  return {
    ...appActors(core),
    ...customerActors(core),
    ...directoryActors(core),
    ...groupChatActors(core),
    ...archiveActors(core),
  };
}

export type SandboxActors = ReturnType<typeof createActors>;
