import { asConfigurationError, WeComApiError } from "./errors";
import type { SecretKind } from "./settings";
import type { AccessTokenProvider } from "./tokens/accessTokenProvider";
import type { ApiFamily, WeComReply, WeComRequest, WeComTransport } from "./transport/weComTransport";

/** 40014 invalid token, 42001 expired: WeCom may revoke a token before expires_in, so refetch once. */
const tokenRejected = new Set([40014, 42001]);

export interface WeComCall extends WeComRequest {
  /** Whose access token to attach; "none" for the robot webhook (its key is in the query). */
  secret: SecretKind | "none";
}

/** What every API area class calls: attaches the right access token and recovers from a revoked one. */
export class WeComHttp {
  constructor(
    private readonly transport: WeComTransport,
    private readonly tokens: AccessTokenProvider,
  ) {}

  get<T extends WeComReply>(family: ApiFamily, path: string, call: WeComCall): Promise<T> {
    return this.call<T>(family, "GET", path, call);
  }

  post<T extends WeComReply>(family: ApiFamily, path: string, call: WeComCall): Promise<T> {
    return this.call<T>(family, "POST", path, call);
  }

  async call<T extends WeComReply>(
    family: ApiFamily,
    method: "GET" | "POST",
    path: string,
    { secret, query, body }: WeComCall,
  ): Promise<T> {
    if (secret === "none") return this.transport.send<T>(family, method, path, { query, body });
    const send = async (token: string) => {
      try {
        return await this.transport.send<T>(family, method, path, { query: { ...query, access_token: token }, body });
      } catch (err) {
        throw asConfigurationError(err, secret);
      }
    };
    const token = await this.tokens.get(secret);
    try {
      return await send(token);
    } catch (err) {
      if (!(err instanceof WeComApiError) || !tokenRejected.has(err.errcode)) throw err;
      await this.tokens.invalidate(secret, token);
    }
    // Exactly one retry: a second rejection means something else is wrong, so it surfaces.
    return send(await this.tokens.get(secret));
  }
}
