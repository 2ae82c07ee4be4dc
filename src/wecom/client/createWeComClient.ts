import { systemClock } from "../../platform/clock";
import { SharedRateLimiter } from "../../platform/rateLimit";
import type { PlatformServices } from "../../platform/services";
import { weComClientSettingsFromConfig, type WeComClientSettings } from "./settings";
import { AccessTokenProvider } from "./tokens/accessTokenProvider";
import { AccessTokenStore } from "./tokens/accessTokenStore";
import { WeComTransport, type TransportOptions } from "./transport/weComTransport";
import { WeComClient } from "./weComClient";
import { WeComHttp } from "./weComHttp";

export interface WeComClientOptions {
  /** Explicit settings (sandbox, tests); default: derived from Config for a real corp. */
  settings?: WeComClientSettings;
  /** Timeouts, retries, rate limits, concurrency, and the time source for tests. */
  transport?: Omit<TransportOptions, "apiBase" | "logger" | "registry">;
}

export function createWeComClient(services: PlatformServices, options: WeComClientOptions = {}): WeComClient {
  const settings = options.settings ?? weComClientSettingsFromConfig(services.config);
  const transport = new WeComTransport({
    // Every instance shares the family limits, counted on wall-clock time as WeCom counts them;
    // a caller with its own (virtual) time source paces on that time, in memory.
    sharedLimiter: options.transport?.time ? undefined : new SharedRateLimiter(services.dataSource, systemClock),
    ...options.transport,
    apiBase: settings.apiBase,
    logger: services.logger,
    registry: services.metrics.registry,
  });
  const tokens = new AccessTokenProvider(
    settings,
    new AccessTokenStore(services.dataSource),
    transport,
    services.clock,
    services.logger.child({ component: "wecom-client" }),
  );
  return new WeComClient(settings, new WeComHttp(transport, tokens), tokens);
}
