import type { Logger } from "../../platform/logger";
import type { EntityManager } from "typeorm";
import type { UnknownEvent, WeComEvent } from "../events/types";

export interface InboxHandlerContext {
  /** The transaction the inbox row is marked done in: write through it so handling and "done" commit together. */
  manager: EntityManager;
  inboxId: string;
  log: Logger;
}

export type InboxHandler<E extends WeComEvent = WeComEvent> = (event: E, ctx: InboxHandlerContext) => Promise<void>;

type Modelled = Exclude<WeComEvent, UnknownEvent>;
type KindsOf<E> = E extends { type: infer T extends string; changeType: infer C extends string } ? T | `${T}:${C}` : E extends { type: infer T extends string } ? T : never;
type NarrowChange<E, C extends string> = E extends { changeType: infer EC } ? (C extends EC ? E & { changeType: C } : never) : never;

/** Every kind a handler may register for: an event type, or "type:changeType" where WeCom multiplexes one. */
export type DispatchKind = KindsOf<Modelled>;

/** The event a handler registered for `K` receives, so handlers never cast. */
export type EventOfKind<K extends DispatchKind> = K extends `${infer T}:${infer C}` ? NarrowChange<Extract<Modelled, { type: T }>, C> : Extract<Modelled, { type: K }>;

/**
 * Routes inbox rows to handlers by kind. Several capabilities may react to
 * one event (a parent deleting a teacher updates the mirror AND may alert
 * HR), so a kind runs every handler registered for it and for each prefix
 * before its colons ("change_external_contact" receives every
 * "change_external_contact:*"), general ones first, in one transaction:
 * either all of them took effect or the event is retried.
 */
export class InboxDispatcher {
  private readonly handlers = new Map<string, InboxHandler[]>();

  register<K extends DispatchKind>(kindOrPrefix: K, handler: InboxHandler<EventOfKind<K>>): this {
    // Sound by construction: handlerFor only routes rows whose kind is `kindOrPrefix` or starts with it and a colon,
    // and eventKind() derives that kind from the event's own type and changeType.
    const general = handler as InboxHandler;
    const list = this.handlers.get(kindOrPrefix) ?? [];
    if (list.includes(general)) throw new Error(`this handler is already registered for ${kindOrPrefix}`);
    this.handlers.set(kindOrPrefix, [...list, general]);
    return this;
  }

  handlerFor(kind: string): InboxHandler | undefined {
    const parts = kind.split(":");
    const chain = parts.flatMap((_, i) => this.handlers.get(parts.slice(0, i + 1).join(":")) ?? []);
    if (chain.length === 0) return undefined;
    if (chain.length === 1) return chain[0];
    return async (event, ctx) => {
      for (const handler of chain) await handler(event, ctx);
    };
  }
}
