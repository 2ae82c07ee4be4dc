import { config } from "../config";
import { createApiClient } from "./api";
import { wxQyLogin, wxStorage, wxTransport } from "./transports/wx";

/** The app-wide API client, wired to the wx runtime. */
export const api = createApiClient({
  baseUrl: config.baseUrl,
  request: wxTransport,
  login: wxQyLogin,
  storage: wxStorage,
  timeoutMs: config.requestTimeoutMs,
});
