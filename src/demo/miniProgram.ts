import { createApiClient, type ApiClient } from "../../miniprogram/services/api";
import { createFetchTransport, memoryStorage } from "../../miniprogram/services/transports/fetch";
import type { StoryEnv } from "./env";

/** The mini-program's own API client, logged in as `userid` through the sandbox's wx.qy.login. */
export function miniProgramAs(env: StoryEnv, userid: string): ApiClient {
  return createApiClient({
    baseUrl: env.base,
    request: createFetchTransport(),
    login: async () => env.sandbox.actors.miniProgramLogin(userid),
    storage: memoryStorage(),
  });
}

/** What the signature pad exports: a PNG as a data URL. */
export const SIGNATURE_PNG = `data:image/png;base64,${Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("signature-strokes-of-li-laoshi"),
]).toString("base64")}`;
