import { randomInt } from "node:crypto";
import { encrypt, getSignature } from "@wecom/crypto";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import type { SandboxCorp } from "../state/types";
import { envelopeXml, eventXml } from "./eventXml";
import type { SandboxEvent } from "./events";

export interface DeliveryAttempt {
  /** HTTP status, or undefined when the request failed or timed out. */
  status?: number;
  error?: string;
  elapsedMs: number;
}

export interface CallbackDelivery {
  id: number;
  label: string;
  /** The decrypted event, as the receiver should see it after decryption. */
  xml: string;
  query: { msg_signature: string; timestamp: string; nonce: string };
  body: string;
  attempts: DeliveryAttempt[];
  outcome: "pending" | "delivered" | "failed" | "no_receiver";
}

export interface DelivererOptions {
  corp: SandboxCorp;
  clock: Clock;
  logger: Logger;
  url?: string;
  /** WeCom drops the connection after 5 s. */
  timeoutMs?: number;
  /** "总共重试三次": three tries in total. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * Posts events the way WeCom does: encrypted and signed with the official
 * @wecom/crypto package, retried on timeout or any status other than 200.
 */
export class CallbackDeliverer {
  readonly deliveries: CallbackDelivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private url: string | undefined;

  constructor(private readonly options: DelivererOptions) {
    this.url = options.url;
  }

  /** Where events go now (its host is also the app's trusted domain for login redirects). */
  get target(): string | undefined {
    return this.url;
  }

  setUrl(url: string | undefined): void {
    this.url = url;
  }

  /** Encrypts and posts one event; resolves with its delivery record once all tries are over. */
  send(event: SandboxEvent): Promise<CallbackDelivery> {
    const delivery = this.prepare(event);
    this.deliveries.push(delivery);
    const run = this.post(delivery);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Waits until every delivery started so far has finished (tests call this after actions). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  deliveriesOf(label: string): CallbackDelivery[] {
    return this.deliveries.filter((d) => d.label === label);
  }

  private prepare(event: SandboxEvent): CallbackDelivery {
    const { corp, clock } = this.options;
    const createTime = Math.floor(clock.now().getTime() / 1000);
    const xml = eventXml([
      ["ToUserName", corp.corpId],
      ["FromUserName", event.from],
      ["CreateTime", createTime],
      ...event.fields,
    ]);
    const encrypted = encrypt(corp.encodingAesKey, xml, corp.corpId);
    const timestamp = String(createTime);
    const nonce = String(randomInt(100_000_000, 2_000_000_000));
    return {
      id: this.deliveries.length + 1,
      label: event.label,
      xml,
      query: { msg_signature: getSignature(corp.token, timestamp, nonce, encrypted), timestamp, nonce },
      body: envelopeXml(corp.corpId, corp.agentId, encrypted),
      attempts: [],
      outcome: "pending",
    };
  }

  private async post(delivery: CallbackDelivery): Promise<CallbackDelivery> {
    const url = this.url;
    if (!url) {
      delivery.outcome = "no_receiver";
      return delivery;
    }
    const maxAttempts = this.options.maxAttempts ?? 3;
    const target = `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(delivery.query).toString()}`;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const result = await this.attempt(target, delivery.body);
      delivery.attempts.push(result);
      if (result.status === 200) {
        delivery.outcome = "delivered";
        return delivery;
      }
      if (attempt < maxAttempts && this.options.retryDelayMs) {
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs));
      }
    }
    delivery.outcome = "failed";
    this.options.logger.warn({ delivery: delivery.id, label: delivery.label }, "sandbox callback not accepted after retries");
    return delivery;
  }

  private async attempt(target: string, body: string): Promise<DeliveryAttempt> {
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer();
      return { status: res.status, elapsedMs: elapsedMs() };
    } catch (err) {
      return { error: err instanceof Error ? err.name + ": " + err.message : String(err), elapsedMs: elapsedMs() };
    }
  }
}
