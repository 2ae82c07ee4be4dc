import type { Context, Middleware } from "koa";

/**
 * The first step of every route: who is calling. A guard resolves the caller
 * (a person, the operator, or nobody for public endpoints) or throws
 * AuthenticationError / AuthorizationError. `kind` names it for the route
 * walk (which guard protects which route) and for the README's API table.
 */
export interface Guard<A> {
  readonly kind: string;
  /** The guard reads the parsed body (a form's CSRF field), so the chain parses it first. */
  readonly readsBody?: boolean;
  resolve(ctx: Context): Promise<A>;
}

/**
 * A guard that can also be mounted as plain Koa middleware (it then leaves
 * the caller in ctx.state.actor). Lets a module hand the same object to the
 * route chain and to code that still mounts middleware.
 */
export type MiddlewareGuard<A> = Guard<A> & Middleware;

export function middlewareGuard<A>(guard: Guard<A>): MiddlewareGuard<A> {
  const mw: Middleware = async (ctx, next) => {
    ctx.state.actor = await guard.resolve(ctx);
    return next();
  };
  return Object.assign(mw, { kind: guard.kind, resolve: guard.resolve });
}

/**
 * No caller identity: health checks, login endpoints, and WeCom's callback
 * (whose signature is verified by its handler). The reason is required so a
 * reader of the route sees why it is open.
 */
export function publicAccess(reason: string): Guard<undefined> {
  return { kind: `public: ${reason}`, resolve: () => NOBODY };
}

/** Settled once: a public route's caller costs no new promise per request. */
const NOBODY: Promise<undefined> = Promise.resolve(undefined);
