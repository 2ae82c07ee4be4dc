import type { Logger } from "../../platform/logger";
import type { ChatMessage } from "../../wecom";

/** A message as stored, handed to in-process consumers (risk rules, handover summaries). */
export interface ArchivedChat {
  seq: number;
  message: ChatMessage;
  staffUserid: string | null;
  externalUserid: string | null;
  roomId: string | null;
}

export type ArchiveSubscriber = (chat: ArchivedChat) => void | Promise<void>;

/**
 * Fan-out of newly stored messages, in seq order, after their page committed
 * (a consumer never sees a message that could still roll back). Delivery is
 * at-most-once per process and not awaited: a slow or failing consumer must
 * not hold up or break ingest, so consumers that need durability queue their
 * own work. A consumer that missed messages (restart) reads the table.
 */
export class ArchiveFanout {
  private readonly subscribers = new Set<ArchiveSubscriber>();

  constructor(private readonly logger: Logger) {}

  subscribe(fn: ArchiveSubscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  publish(chats: ArchivedChat[]): void {
    for (const chat of chats) {
      for (const fn of this.subscribers) {
        try {
          const result = fn(chat);
          if (result instanceof Promise) result.catch((err) => this.failed(err, chat));
        } catch (err) {
          this.failed(err, chat);
        }
      }
    }
  }

  private failed(err: unknown, chat: ArchivedChat): void {
    this.logger.error({ err, msgid: chat.message.msgid, seq: chat.seq }, "archive subscriber failed");
  }
}
