import type { Logger } from "../../platform/logger";
import type { EntityManager } from "typeorm";
import type { TemplateCardEvent, UnknownEvent, WeComEvent } from "../events/types";

/** What every handler of a transaction shares: the transaction, its after-commit steps and its shared reads. */
export interface InboxBatchContext {
  /** The transaction the inbox rows are marked done in: write through it so handling and "done" commit together. */
  manager: EntityManager;
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

export interface InboxHandlerContext extends InboxBatchContext {
  inboxId: string;
}

export type InboxHandler<E extends WeComEvent = WeComEvent> = (event: E, ctx: InboxHandlerContext) => Promise<void>;

/**
 * Takes every event of a transaction it is registered for at once, in arrival order, so that its work is a
 * constant number of set-based statements per batch instead of a few per event (issue 16). It must leave the
 * database as handling the events one by one in that order would. Always batchable.
 */
export type InboxBatchHandler<E extends WeComEvent = WeComEvent> = (events: E[], ctx: InboxBatchContext) => Promise<void>;

/** One event of a transaction, with the context a per-event handler gets for it. */
export interface DispatchItem {
  kind: string;
  event: WeComEvent;
  ctx: InboxHandlerContext;
}

type Modelled = Exclude<WeComEvent, UnknownEvent>;
type KindsOf<E> = E extends { type: infer T extends string; changeType: infer C extends string } ? T | `${T}:${C}` : E extends { type: infer T extends string } ? T : never;
type NarrowChange<E, C extends string> = E extends { changeType: infer EC } ? (C extends EC ? E & { changeType: C } : never) : never;

/** Every kind a handler may register for: an event type, or "type:changeType" where WeCom multiplexes one. */
export type DispatchKind = KindsOf<Modelled>;

/** The event a handler registered for `K` receives, so handlers never cast. */
export type EventOfKind<K extends DispatchKind> = K extends `${infer T}:${infer C}` ? NarrowChange<Extract<Modelled, { type: T }>, C> : Extract<Modelled, { type: K }>;

export interface HandlerOptions<E extends WeComEvent = WeComEvent> {
  /**
   * The handler's effects are all in its transaction (reads of WeCom and wakes through afterCommit are fine),
   * so it may share one transaction with other events: when any event of the batch fails, the batch is rolled
   * back and each event handled again in its own transaction. A handler that sends something (a bot reply, a
   * WeCom write) must not be batched: that retry would send it again.
   */
  batchable?: boolean;
  /**
   * The events of the kind the handler acts on, told from the event alone (pure: no I/O, no clock). An event that
   * no handler of its kind wants is marked done with the kinds nobody handles, in one statement shared with them,
   * instead of a transaction of its own: most texts members send the app are not meant for any handler.
   */
  wants?: (event: E) => boolean;
}

type Wants = (event: WeComEvent) => boolean;
type Registered =
  | { handler: InboxHandler; batch?: undefined; batchable: boolean; wants?: Wants }
  | { handler?: undefined; batch: InboxBatchHandler; batchable: true; wants?: undefined };

/** A `wants` that throws (a bug) leaves the event to its handler, whose failure is then retried and recorded. */
function takes(r: Registered, event: WeComEvent): boolean {
  if (r.wants === undefined) return true;
  try {
    return r.wants(event);
  } catch {
    return true;
  }
}

/**
 * Routes inbox rows to handlers by kind. Several capabilities may react to
 * one event (a parent deleting a teacher updates the mirror AND may alert
 * HR), so a kind runs every handler registered for it and for each prefix
 * before its colons ("change_external_contact" receives every
 * "change_external_contact:*"), general ones first, in one transaction:
 * either all of them took effect or the event is retried.
 *
 * Several events in one transaction are handled handler by handler: each
 * handler (in the order of the events' chains, general ones first) gets all
 * of its events in arrival order — a batch handler in one call. Handlers of
 * different capabilities write different tables and never read what another
 * one writes for an event, so this leaves what event-by-event handling would.
 */
export class InboxDispatcher {
  private readonly handlers = new Map<string, Registered[]>();
  /** Card-click handlers by the task-id namespace their cards carry (a task_id prefix such as "rs_" or "alert-"). */
  private readonly cardNamespaces = new Map<string, InboxHandler<TemplateCardEvent>>();

  /**
   * Clicks on the cards whose task_id starts with `namespace` (模板卡片事件推送 carries the card's TaskId;
   * a task_id is 1–128 of digits, letters and "_-@", path/90372 as quoted by zsmhub/workweixin
   * 发送应用消息-模板卡片消息.go): one capability owns each namespace, no namespace may contain another, and a click on a card
   * of no registered namespace is logged and dropped. Handlers never tell cards apart themselves.
   */
  registerCards(namespace: string, handler: InboxHandler<TemplateCardEvent>): this {
    if (!/^[A-Za-z0-9]+[-_@]$/.test(namespace)) throw new Error(`a card namespace ends in one of - _ @ after letters or digits: ${namespace}`);
    for (const other of this.cardNamespaces.keys()) {
      if (other.startsWith(namespace) || namespace.startsWith(other)) throw new Error(`card namespace ${namespace} overlaps ${other}`);
    }
    if (this.cardNamespaces.size === 0) this.register("template_card_event", (event, ctx) => this.routeCardClick(event, ctx));
    this.cardNamespaces.set(namespace, handler);
    return this;
  }

  private async routeCardClick(event: TemplateCardEvent, ctx: InboxHandlerContext): Promise<void> {
    for (const [namespace, handler] of this.cardNamespaces) {
      if (event.taskId.startsWith(namespace)) return handler(event, ctx);
    }
    ctx.log.warn({ taskId: event.taskId, userid: event.from }, "click on a card of no registered namespace; ignored");
  }

  register<K extends DispatchKind>(kindOrPrefix: K, handler: InboxHandler<EventOfKind<K>>, options: HandlerOptions<EventOfKind<K>> = {}): this {
    // Sound by construction: handlerFor only routes rows whose kind is `kindOrPrefix` or starts with it and a colon,
    // and eventKind() derives that kind from the event's own type and changeType.
    return this.add(kindOrPrefix, {
      handler: handler as InboxHandler,
      batchable: options.batchable === true,
      ...(options.wants ? { wants: options.wants as Wants } : {}),
    });
  }

  /** A handler that takes a transaction's events of the kind at once (see InboxBatchHandler); always batchable. */
  registerBatch<K extends DispatchKind>(kindOrPrefix: K, handler: InboxBatchHandler<EventOfKind<K>>): this {
    // Sound for the same reason as register(): only events of this kind (or a kind under it) are passed.
    return this.add(kindOrPrefix, { batch: handler as InboxBatchHandler, batchable: true });
  }

  private add(kindOrPrefix: string, entry: Registered): this {
    const fn = entry.handler ?? entry.batch;
    const list = this.handlers.get(kindOrPrefix) ?? [];
    if (list.some((r) => (r.handler ?? r.batch) === fn)) throw new Error(`this handler is already registered for ${kindOrPrefix}`);
    this.handlers.set(kindOrPrefix, [...list, entry]);
    return this;
  }

  handlerFor(kind: string): InboxHandler | undefined {
    const chain = this.chain(kind);
    if (chain.length === 0) return undefined;
    if (chain.length === 1 && chain[0]!.handler && !chain[0]!.wants) return chain[0]!.handler;
    return async (event, ctx) => {
      for (const r of chain) if (takes(r, event)) await (r.batch ? r.batch([event], ctx) : r.handler(event, ctx));
    };
  }

  /** True when the kind's handlers judge events one by one (`wants`): then wanted() tells, per event, whether any acts. */
  choosy(kind: string): boolean {
    return this.chain(kind).some((r) => r.wants !== undefined);
  }

  /** True when some handler of the event's kind acts on it (false when none is registered). */
  wanted(kind: string, event: WeComEvent): boolean {
    return this.chain(kind).some((r) => takes(r, event));
  }

  /**
   * Handles the events of one transaction (in arrival order): every handler once, in the order the events' chains
   * name them, with all of its events — a batch handler in one call, a per-event one event after event.
   */
  async handleTogether(items: DispatchItem[], ctx: InboxBatchContext): Promise<void> {
    // By function: one batch handler registered for several kinds (both deletions, say) gets their events in one call.
    const steps = new Map<InboxHandler | InboxBatchHandler, { r: Registered; items: DispatchItem[] }>();
    for (const item of items) {
      for (const r of this.chain(item.kind)) {
        if (!takes(r, item.event)) continue;
        const fn = r.batch ?? r.handler;
        const step = steps.get(fn);
        if (step) step.items.push(item);
        else steps.set(fn, { r, items: [item] });
      }
    }
    for (const { r, items: list } of steps.values()) {
      if (r.batch) await r.batch(list.map((i) => i.event), ctx);
      else for (const i of list) await r.handler(i.event, i.ctx);
    }
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
