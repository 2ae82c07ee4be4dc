import type { Clock } from "../../platform/clock";
import type { CallbackDeliverer, CallbackDelivery } from "../callbacks/deliverer";
import { msgauditNotify } from "../callbacks/events";

export const NOTIFY_INTERVAL_MS = 15_000;

/** msgaudit_notify: only when new messages exist, and at most every 15 s of sandbox time. */
export class ArchiveNotifier {
  private lastAt: number | undefined;
  private pending = false;

  constructor(
    private readonly clock: Clock,
    private readonly callbacks: CallbackDeliverer,
    private readonly agentId: number,
  ) {}

  /** New messages arrived: notify now if allowed, otherwise once the interval is over (on tick). */
  newMessages(): Promise<CallbackDelivery> | undefined {
    this.pending = true;
    return this.flush();
  }

  flush(): Promise<CallbackDelivery> | undefined {
    const now = this.clock.now().getTime();
    if (!this.pending || (this.lastAt !== undefined && now - this.lastAt < NOTIFY_INTERVAL_MS)) return undefined;
    this.pending = false;
    this.lastAt = now;
    return this.callbacks.send(msgauditNotify(this.agentId));
  }
}
