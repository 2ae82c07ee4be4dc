import { api } from "./services/client";

App({
  onLaunch() {
    // Warm the session so the first page does not wait for wx.qy.login; failures are shown by the page that needs it.
    if (!api.currentUser()) api.login().catch(() => undefined);
  },
});
