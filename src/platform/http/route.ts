import type Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import { ValidationError } from "../errors";
import type { Guard } from "./guard";
import { DEFAULT_LIMITS, hygieneProblems, type FieldProblemAt, type HygieneLimits, type InputLocation } from "./inputHygiene";
import { jsonBody } from "./jsonBody";

/** A zod schema producing T from whatever arrived. */
export type Schema<T> = z.ZodType<T, unknown>;

/** What the caller sent, each part validated on its own. */
export interface RouteInput<A, P, Q, B> {
  actor: A;
  params: P;
  query: Q;
  body: B;
}

export interface LoadInput<A, P, Q, B> extends RouteInput<A, P, Q, B> {
  /** The route's transaction when it has one, else the pool's manager (absent when the chain has no dataSource). */
  manager: EntityManager;
}

export interface HandlerInput<A, P, Q, B, R> extends LoadInput<A, P, Q, B> {
  /** What `load` returned: the one resource this route acts on, already authorized. */
  resource: R;
  ctx: Context;
}

type Empty = Record<string, never>;

export interface RouteSpec<A, P, Q, B, R, T> {
  /** Who is calling (step 1). */
  auth: Guard<A>;
  /** Path parameters, query and body are validated separately (step 2): a body never replaces a path parameter. */
  params?: Schema<P>;
  query?: Schema<Q>;
  body?: Schema<B>;
  /** Reads the raw body; JSON or form up to 256 kB when a body schema is given and this is not. */
  bodyParser?: Middleware;
  /** Longest string accepted per location (defaults: params 128, query 512, body 2,000 characters). */
  limits?: Partial<HygieneLimits>;
  /**
   * Load the one resource the route acts on and authorize the caller for it
   * (step 3). Whatever it returns is the only resource the handler gets.
   */
  load?: (input: LoadInput<A, P, Q, B>) => Promise<R>;
  /** Run load and handler in one database transaction (step 4). */
  transaction?: boolean;
  /**
   * A list endpoint: which resource kind's scope() filters what it returns.
   * The route walk calls every list as an actor of another campus.
   */
  list?: string;
  /** Success status (default 200, or 204 when the handler returns nothing). */
  status?: number;
  /** Step 5. Its return value, when not undefined, is the response body. */
  handle(input: HandlerInput<A, P, Q, B, R>): Promise<T> | T;
  /**
   * After the transaction committed (wake an outbox, push to WeCom): gets the
   * handler's result, and its own result (when not undefined) is the body.
   */
  committed?: (result: T) => Promise<unknown> | unknown;
}

/** What the route walk reads off every mounted route. */
export interface RouteDescription {
  auth: string;
  params: boolean;
  query: boolean;
  body: boolean;
  load: boolean;
  transaction: boolean;
  list?: string;
}

export const ROUTE_CHAIN = Symbol.for("wpg.routeChain");

/** The description of a route built by the chain; undefined for anything mounted another way. */
export function routeDescription(middleware: unknown): RouteDescription | undefined {
  return (middleware as { [ROUTE_CHAIN]?: RouteDescription } | undefined)?.[ROUTE_CHAIN];
}

export const EDGE_MIDDLEWARE = Symbol.for("wpg.edgeMiddleware");

/**
 * Router-level middleware that only shapes how errors are answered (never
 * authenticates, reads input or acts): the only thing a router may `use`
 * beside its chained routes. The route walk refuses anything else.
 */
export function edgeMiddleware<M extends (...args: never[]) => unknown>(name: string, middleware: M): M {
  return Object.assign(middleware, { [EDGE_MIDDLEWARE]: name });
}

export function edgeMiddlewareName(middleware: unknown): string | undefined {
  return (middleware as { [EDGE_MIDDLEWARE]?: string } | undefined)?.[EDGE_MIDDLEWARE];
}

type Method = "get" | "post" | "put" | "patch" | "delete";

/**
 * The one way a route is written: auth → validate (params, query, body, each
 * against its own schema, after the edge's hygiene check) → load + authorize
 * → transaction → handler, with typed input throughout.
 *
 *   const route = routeChain(router, { dataSource });
 *   route.put("/:leaver/plan/overrides", {
 *     auth: deps.auth, params: leaverParams, body: overridesBody, transaction: true,
 *     load: ({ actor, params, manager }) => loadLeaver(manager, actor, params.leaver, "update"),
 *     handle: ({ resource, body, manager }) => applyOverrides(manager, resource.userid, body, now),
 *   });
 */
export function routeChain(router: Router, options: { dataSource?: DataSource } = {}) {
  const add =
    (method: Method) =>
    <A, P = Empty, Q = Empty, B = Empty, R = undefined, T = unknown>(path: string, spec: RouteSpec<A, P, Q, B, R, T>): void => {
      router[method](path, chainMiddleware(path, spec, options.dataSource));
    };
  return { get: add("get"), post: add("post"), put: add("put"), patch: add("patch"), delete: add("delete") };
}

export type RouteChain = ReturnType<typeof routeChain>;

function chainMiddleware<A, P, Q, B, R, T>(path: string, spec: RouteSpec<A, P, Q, B, R, T>, dataSource: DataSource | undefined): Middleware {
  if (spec.transaction && !dataSource) throw new Error(`route ${path}: a transaction needs a dataSource`);
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  const parseBody = spec.body ? (spec.bodyParser ?? jsonBody()) : undefined;

  const run: Middleware = async (ctx) => {
    const rawParams = ((ctx as unknown as { params?: Record<string, string> }).params ?? {}) as Record<string, unknown>;
    // The edge: nothing with control characters or of absurd length reaches a schema, a query or a log.
    const paramProblems = hygieneProblems("params", rawParams, limits.params);
    const queryProblems = hygieneProblems("query", ctx.query, limits.query);
    if (paramProblems.length > 0 || queryProblems.length > 0) throw invalid([...paramProblems, ...queryProblems]);
    // Bodies are read after the caller is known, unless the guard itself needs the body (a form's CSRF field).
    if (parseBody && spec.auth.readsBody) await parseBody(ctx, nothingNext);
    const actor = await spec.auth.resolve(ctx);
    if (parseBody && !spec.auth.readsBody) await parseBody(ctx, nothingNext);

    const rawBody = spec.body ? (ctx.request as unknown as { body?: unknown }).body : undefined;
    const bodyProblems = hygieneProblems("body", rawBody, limits.body);
    if (bodyProblems.length > 0) throw invalid(bodyProblems);
    if (rawBody && typeof rawBody === "object" && !Array.isArray(rawBody)) {
      // A body naming a path parameter is an attempt to act on something other than the URL's resource.
      // The matched parameters, the router's prefix ones included (e.g. /reassignments/:leaver).
      const clash = Object.keys(rawParams).filter((name) => Object.prototype.hasOwnProperty.call(rawBody, name));
      if (clash.length > 0) {
        throw invalid(clash.map((name) => ({ in: "body" as const, path: name, message: `请求体不能包含路径参数 ${name}` })));
      }
    }
    const input: LoadInput<A, P, Q, B> = {
      actor,
      params: parse("params", spec.params, rawParams),
      query: parse("query", spec.query, ctx.query),
      body: parse("body", spec.body, rawBody ?? {}),
      manager: dataSource?.manager as EntityManager,
    };
    const handled = spec.transaction
      ? await dataSource!.transaction((manager) => loadAndHandle(spec, { ...input, manager }, ctx))
      : spec.load
        ? await loadAndHandle(spec, input, ctx)
        : await spec.handle(handlerInput(input, undefined as R, ctx));
    const after = spec.committed ? await spec.committed(handled) : undefined;
    const result = after !== undefined ? after : handled;

    if (result !== undefined) {
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    } else if (ctx.body === undefined && ctx.status === 404) {
      // The handler answered nothing (and did not redirect): a successful change without content.
      ctx.status = spec.status ?? 204;
    } else if (spec.status) {
      ctx.status = spec.status;
    }
  };
  const description: RouteDescription = {
    auth: spec.auth.kind,
    params: spec.params !== undefined,
    query: spec.query !== undefined,
    body: spec.body !== undefined,
    load: spec.load !== undefined,
    transaction: spec.transaction === true,
    ...(spec.list ? { list: spec.list } : {}),
  };
  return Object.assign(run, { [ROUTE_CHAIN]: description });
}

const nothingNext = async (): Promise<void> => undefined;

/** Steps 3 and 5: load (and authorize) the one resource, then the handler with it (a route without load skips the frame). */
async function loadAndHandle<A, P, Q, B, R, T>(spec: RouteSpec<A, P, Q, B, R, T>, input: LoadInput<A, P, Q, B>, ctx: Context): Promise<T> {
  const resource = spec.load ? await spec.load(input) : (undefined as R);
  return spec.handle(handlerInput(input, resource, ctx));
}

function handlerInput<A, P, Q, B, R>(input: LoadInput<A, P, Q, B>, resource: R, ctx: Context): HandlerInput<A, P, Q, B, R> {
  return { actor: input.actor, params: input.params, query: input.query, body: input.body, manager: input.manager, resource, ctx };
}

/**
 * One location against its schema. A location without a schema must be
 * empty of meaning: its value is {} whatever was sent.
 */
function parse<T>(location: InputLocation, schema: Schema<T> | undefined, value: unknown): T {
  if (!schema) return {} as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues.map((i) => ({ in: location, path: i.path.map(String).join("."), message: i.message })));
}

function invalid(problems: FieldProblemAt[]): ValidationError {
  const first = problems[0]!;
  const field = first.path ? `${first.path}：` : "";
  return new ValidationError(`请求参数有误（${field}${first.message}）`, problems);
}
