/**
 * jsdom (the mini-program page tests' environment) lacks Node's TextEncoder/TextDecoder, which
 * server modules loaded by those tests' fixtures need (koa-body → formidable → @noble/hashes,
 * reached through the capabilities' public index.ts files). Node's own are put in place; under
 * the node environment they already exist and nothing changes.
 */
import { TextDecoder, TextEncoder } from "node:util";

const g = globalThis as Record<string, unknown>;
g.TextEncoder ??= TextEncoder;
g.TextDecoder ??= TextDecoder;
