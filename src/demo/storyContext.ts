import type { DataSource } from "typeorm";
import type { ApiClient } from "../../miniprogram/services/api";
import { miniProgramAs } from "./miniProgram";
import type { StoryEnv } from "./env";
import type { Transcript } from "./transcript";

export interface HttpAnswer {
  status: number;
  // The story reads answers the way a console would: by field name.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** What every step gets: the running world, the transcript, and what earlier steps found out. */
export interface StoryContext {
  env: StoryEnv;
  t: Transcript;
  db: DataSource;
  /** Set by step 3: 李老师's resignation case. */
  caseId?: string;
  /** The mini-program client of a staff member (one session each, as on their phone). */
  mp(userid: string): ApiClient;
  /** A JSON body, or a text body with its content type (a CSV import). */
  http(method: string, path: string, token?: string, body?: unknown, contentType?: string): Promise<HttpAnswer>;
  /** Polls (real time) until `check` yields a truthy value; the service's workers run on their own timers. Undefined on time-out. */
  waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs?: number): Promise<T | undefined>;
  count(sql: string, params?: unknown[]): Promise<number>;
}

export function createStoryContext(env: StoryEnv, t: Transcript): StoryContext {
  const db = env.service.database.dataSource;
  const clients = new Map<string, ApiClient>();
  return {
    env,
    t,
    db,
    mp(userid) {
      const client = clients.get(userid) ?? miniProgramAs(env, userid);
      clients.set(userid, client);
      return client;
    },
    async http(method, path, token, body, contentType) {
      const res = await fetch(`${env.base}${path}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "Content-Type": contentType ?? "application/json" } : {}),
        },
        body: body === undefined ? undefined : contentType ? String(body) : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (a Markdown export): keep the text.
      }
      return { status: res.status, body: parsed };
    },
    async waitFor(check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > deadline) return undefined;
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    async count(sql, params = []) {
      const rows: { n: number | string }[] = await db.query(sql, params);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
