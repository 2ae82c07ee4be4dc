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
 * Routes inbox rows to handlers by kind. A handler registered for
 * "change_external_contact" receives every "change_external_contact:*" kind;
 * an exact registration wins over the prefix. Kinds nobody handles are fine:
 * the row is simply marked done.
 */
export class InboxDispatcher {
  private readonly handlers = new Map<string, InboxHandler>();

  register(kindOrPrefix: string, handler: InboxHandler): this {
    if (this.handlers.has(kindOrPrefix)) throw new Error(`an inbox handler is already registered for ${kindOrPrefix}`);
    this.handlers.set(kindOrPrefix, handler);
    return this;
  }

  handlerFor(kind: string): InboxHandler | undefined {
    for (let key = kind; ; ) {
      const handler = this.handlers.get(key);
      if (handler) return handler;
      const cut = key.lastIndexOf(":");
      if (cut < 0) return undefined;
      key = key.slice(0, cut);
    }
  }
}
