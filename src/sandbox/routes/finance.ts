import type { SandboxCore } from "../core";
import type { SandboxRoute } from "./route";

/**
 * The Finance SDK's GetChatData / GetMediaData served over HTTP so the
 * sandbox archive adapter can run without the native library.
 */
export function financeRoutes(core: SandboxCore): SandboxRoute[] {
  const { archive } = core;
  return [
    {
      method: "POST",
      path: "/sandbox/finance/chatdata",
      grants: "public",
      handle: ({ body }) => ({ chatdata: archive.chatData({ seq: body.seq, limit: body.limit, secret: body.secret }) }),
    },
    {
      method: "POST",
      path: "/sandbox/finance/media",
      grants: "public",
      handle: ({ body }) => archive.mediaChunk({ sdkfileid: body.sdkfileid, indexbuf: body.indexbuf, secret: body.secret }),
    },
  ];
}
