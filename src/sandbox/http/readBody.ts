import type { IncomingMessage } from "node:http";
import { SandboxApiError } from "../apiError";
import { ERR } from "../errcodes";

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * WeCom parses the body as JSON whatever the content type says; anything
 * else is 47001. Read by hand so the sandbox does not need koa-body's leniency.
 */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SandboxApiError(ERR.invalidJson, "request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch {
    throw new SandboxApiError(ERR.invalidJson, "json format error");
  }
}
