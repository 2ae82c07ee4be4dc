import type { Clock } from "../../../platform/clock";
import type { Logger } from "../../../platform/logger";
import { asConfigurationError, WeComConfigurationError, WeComTransportError } from "../errors";
import type { SecretKind, WeComClientSettings } from "../settings";
import type { WeComReply, WeComTransport } from "../transport/weComTransport";
import type { AccessTokenStore, StoredToken, TokenKey } from "./accessTokenStore";
import { resolveCredential, type Credential } from "./credentials";
import { isExpired, needsRefresh } from "./tokenFreshness";

interface GetTokenReply extends WeComReply {
  access_token?: unknown;
  expires_in?: unknown;
}

const gettokenPath = "/cgi-bin/gettoken";

function keyOf(credential: Credential): TokenKey {
  return { corpId: credential.corpId, kind: credential.kind, fingerprint: credential.fingerprint };
}

/**
 * Access tokens per secret kind: memory first, then the shared PostgreSQL row, then gettoken.
 * Concurrent callers for one secret share one refresh (promise map in process, advisory lock
 * across instances).
 */
export class AccessTokenProvider {
  private readonly cache = new Map<SecretKind, StoredToken>();
  private readonly inFlight = new Map<SecretKind, Promise<StoredToken>>();

  constructor(
    private readonly settings: WeComClientSettings,
    private readonly store: AccessTokenStore,
    private readonly transport: WeComTransport,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Throws MissingSecretError (before any I/O) when the kind has no secret. */
  async get(requested: SecretKind): Promise<string> {
    const credential = resolveCredential(this.settings, requested);
    const cached = this.cache.get(credential.kind);
    if (cached && !needsRefresh(cached, this.clock.now())) return cached.accessToken;
    let refresh = this.inFlight.get(credential.kind);
    if (!refresh) {
      refresh = this.refresh(credential, cached).finally(() => this.inFlight.delete(credential.kind));
      this.inFlight.set(credential.kind, refresh);
    }
    return (await refresh).accessToken;
  }

  /** WeCom rejected `accessToken` (40014/42001): drop it here and in the shared row, unless already replaced. */
  async invalidate(requested: SecretKind, accessToken: string): Promise<void> {
    const credential = resolveCredential(this.settings, requested);
    if (this.cache.get(credential.kind)?.accessToken === accessToken) this.cache.delete(credential.kind);
    await this.store.invalidate(keyOf(credential), accessToken);
  }

  private async refresh(credential: Credential, cached: StoredToken | undefined): Promise<StoredToken> {
    const key = keyOf(credential);
    const stale = (token: StoredToken | undefined) => needsRefresh(token, this.clock.now());
    try {
      let token = await this.store.read(key);
      if (stale(token)) token = await this.store.replaceIfStale(key, stale, () => this.fetch(credential));
      this.cache.set(credential.kind, token!);
      return token!;
    } catch (err) {
      // An early refresh that fails for a passing reason must not break calls the old token still serves.
      if (cached && !isExpired(cached, this.clock.now()) && !(err instanceof WeComConfigurationError)) {
        this.logger.warn(
          { kind: credential.kind, error: err instanceof Error ? err.message : String(err) },
          "wecom token refresh failed; using the current token until it expires",
        );
        return cached;
      }
      throw err;
    }
  }

  private async fetch(credential: Credential): Promise<StoredToken> {
    let reply: GetTokenReply;
    try {
      reply = await this.transport.send<GetTokenReply>("token", "GET", gettokenPath, {
        query: { corpid: credential.corpId, corpsecret: credential.secret },
      });
    } catch (err) {
      throw asConfigurationError(err, credential.kind);
    }
    const { access_token: accessToken, expires_in: expiresIn } = reply;
    if (typeof accessToken !== "string" || accessToken === "" || typeof expiresIn !== "number" || expiresIn <= 0) {
      throw new WeComTransportError(gettokenPath, "malformed", "gettoken reply lacks access_token or expires_in");
    }
    const fetchedAt = this.clock.now();
    this.logger.info({ kind: credential.kind, expiresIn }, "wecom access token fetched");
    return { accessToken, fetchedAt, expiresAt: new Date(fetchedAt.getTime() + expiresIn * 1000) };
  }
}
