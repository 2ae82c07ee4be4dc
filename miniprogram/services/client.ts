import { apiBaseFor, config, runningEnvVersion } from "../config";
import { createApiClient } from "./api";
import { wxQyLogin, wxStorage, wxTransport } from "./transports/wx";

/** The app-wide API client, wired to the wx runtime. */
export const api = createApiClient({
  baseUrl: apiBaseFor(runningEnvVersion()),
  request: wxTransport,
  login: wxQyLogin,
  storage: wxStorage,
  timeoutMs: config.requestTimeoutMs,
});
