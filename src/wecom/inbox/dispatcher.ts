import type { Logger } from "../../platform/logger";
import type { EntityManager } from "typeorm";
import type { UnknownEvent, WeComEvent } from "../events/types";

export interface InboxHandlerContext {
  /** The transaction the inbox row is marked done in: write through it so handling and "done" commit together. */
  manager: EntityManager;
  inboxId: string;
  log: Logger;
  /**
   * Runs `fn` once this transaction has committed (never when it rolls back). A wake of another worker belongs
   * here: woken before the commit, that worker reads nothing new and waits for its next poll.
   */
  afterCommit(fn: () => void): void;
  /**
   * One read shared by the events claimed together: the first call with `key` runs `load`, later ones get its
   * result. Every one of them was stored before the claim, so WeCom's current state read once after it is as
   * fresh for each of them as a read of its own (a mass transfer's many events about one parent read it once).
   */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export type InboxHandler<E extends WeComEvent = WeComEvent> = (event: E, ctx: InboxHandlerContext) => Promise<void>;

type Modelled = Exclude<WeComEvent, UnknownEvent>;
type KindsOf<E> = E extends { type: infer T extends string; changeType: infer C extends string } ? T | `${T}:${C}` : E extends { type: infer T extends string } ? T : never;
type NarrowChange<E, C extends string> = E extends { changeType: infer EC } ? (C extends EC ? E & { changeType: C } : never) : never;

/** Every kind a handler may register for: an event type, or "type:changeType" where WeCom multiplexes one. */
export type DispatchKind = KindsOf<Modelled>;

/** The event a handler registered for `K` receives, so handlers never cast. */
export type EventOfKind<K extends DispatchKind> = K extends `${infer T}:${infer C}` ? NarrowChange<Extract<Modelled, { type: T }>, C> : Extract<Modelled, { type: K }>;

export interface HandlerOptions {
  /**
   * The handler's effects are all in its transaction (reads of WeCom and wakes through afterCommit are fine),
   * so it may share one transaction with other events: when any event of the batch fails, the batch is rolled
   * back and each event handled again in its own transaction. A handler that sends something (a bot reply, a
   * WeCom write) must not be batched: that retry would send it again.
   */
  batchable?: boolean;
}

interface Registered {
  handler: InboxHandler;
  batchable: boolean;
}

/**
 * Routes inbox rows to handlers by kind. Several capabilities may react to
 * one event (a parent deleting a teacher updates the mirror AND may alert
 * HR), so a kind runs every handler registered for it and for each prefix
 * before its colons ("change_external_contact" receives every
 * "change_external_contact:*"), general ones first, in one transaction:
 * either all of them took effect or the event is retried.
 */
export class InboxDispatcher {
  private readonly handlers = new Map<string, Registered[]>();

  register<K extends DispatchKind>(kindOrPrefix: K, handler: InboxHandler<EventOfKind<K>>, options: HandlerOptions = {}): this {
    // Sound by construction: handlerFor only routes rows whose kind is `kindOrPrefix` or starts with it and a colon,
    // and eventKind() derives that kind from the event's own type and changeType.
    const general = handler as InboxHandler;
    const list = this.handlers.get(kindOrPrefix) ?? [];
    if (list.some((r) => r.handler === general)) throw new Error(`this handler is already registered for ${kindOrPrefix}`);
    this.handlers.set(kindOrPrefix, [...list, { handler: general, batchable: options.batchable === true }]);
    return this;
  }

  handlerFor(kind: string): InboxHandler | undefined {
    const chain = this.chain(kind).map((r) => r.handler);
    if (chain.length === 0) return undefined;
    if (chain.length === 1) return chain[0];
    return async (event, ctx) => {
      for (const handler of chain) await handler(event, ctx);
    };
  }

  /** True when every handler of the kind may share a transaction with other events (false when none is registered). */
  batchable(kind: string): boolean {
    const chain = this.chain(kind);
    return chain.length > 0 && chain.every((r) => r.batchable);
  }

  private chain(kind: string): Registered[] {
    const parts = kind.split(":");
    return parts.flatMap((_, i) => this.handlers.get(parts.slice(0, i + 1).join(":")) ?? []);
  }
}
