import { Client, type Pool } from "pg";
import type { Logger } from "../logger";

/**
 * Listens for PostgreSQL notifications on one channel over its own connection (not a pool slot: a LISTEN
 * holds its connection for as long as it listens). A lost connection is only logged: the caller keeps
 * polling, and `ensure()` listens again on its next pass.
 */
export class CommitWake {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly onWake: () => void,
    private readonly logger: Logger,
  ) {}

  /** Listen, if not already listening; never throws. */
  ensure(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.listen().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client(this.pool.options);
    client.on("notification", () => this.onWake());
    client.on("error", (err) => {
      this.logger.warn({ err, channel: this.channel }, "wake-up connection lost; polling until it is back");
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
    });
    client.on("end", () => {
      if (this.client === client) this.client = undefined;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
    } catch (err) {
      this.logger.warn({ err, channel: this.channel }, "cannot listen for wake-ups; polling");
      await client.end().catch(() => undefined);
    }
  }
}
