import type { Logger } from "../../platform/logger";
import type { EntityManager } from "typeorm";
import type { WeComEvent } from "../events/types";

export interface InboxHandlerContext {
  /** The transaction the inbox row is marked done in: write through it so handling and "done" commit together. */
  manager: EntityManager;
  inboxId: string;
  log: Logger;
}

export type InboxHandler = (event: WeComEvent, ctx: InboxHandlerContext) => Promise<void>;

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

  register(kindOrPrefix: string, handler: InboxHandler): this {
    const list = this.handlers.get(kindOrPrefix) ?? [];
    if (list.includes(handler)) throw new Error(`this handler is already registered for ${kindOrPrefix}`);
    this.handlers.set(kindOrPrefix, [...list, handler]);
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
