import Router from "@koa/router";
import { z } from "zod";
import { addDays, CHINA_TIME_ZONE, fromInstant } from "../../platform/localDate";
import { startOfDate } from "../../calendar";
import type { Clock } from "../../platform/clock";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { MessageView, SearchAnswer, SearchIndexProgress, ThreadSummaryView } from "../presenters/apiTypes";
import { archiveSearchView, threadPage, type ArchiveResult } from "../views/archiveViews";
import { problemText, renderPage } from "./page";
import type { DataSource } from "typeorm";
import { scope, staffByName, staffLabels } from "../../org";
import { parentsByName } from "../../parents";
import { Names } from "../presenters/names";
import type { InheritedThreadsSource } from "../../conversations";
import { visibleSubjects } from "../../conversations";

/** A form leaves unused fields empty: those are absent, not invalid. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD");
const searchQuery = z.object({
  who: z.enum(["staff", "parent"]).default("staff"),
  /** A teacher's or parent's name as a person types it; `id` is the exact account (links, namesakes chosen from a list). */
  name: optional(z.string().trim().min(1).max(64)),
  id: optional(z.string().trim().min(1).max(128)),
  q: optional(z.string().trim().min(1).max(50)),
  from: optional(date),
  to: optional(date),
  page: optional(z.coerce.number().int().min(1).max(1000)),
});
const mediaQuery = z.object({ msgid: z.string().min(1).max(256), part: optional(z.coerce.number().int().min(1).max(100)) });
const threadQuery = z.object({
  staff: optional(z.string().max(128)),
  parent: optional(z.string().max(128)),
  room: optional(z.string().max(128)),
  cursor: optional(z.string().max(512)),
});

/** Days shown when the form names no range: threads of the last quarter; keyword search over the last year. */
const DEFAULT_DAYS = 90;
const DEFAULT_SEARCH_DAYS = 365;
const HITS_PER_PAGE = 20;
const PAGE = 100;

/**
 * The conversation archive: a staff member's or a parent's threads, keyword
 * search within one of them, one thread with recalled messages marked.
 * The API decides what the caller may see and logs every view.
 */
export function archiveRoutes(deps: { dataSource: DataSource; clock: Clock; guard: Guard<ConsoleSession>; inheritedThreads: InheritedThreadsSource }): Router {
  const router = new Router({ prefix: "/console/archive" });
  const route = routeChain(router);

  route.get("/", { auth: deps.guard, query: searchQuery, handle: async ({ ctx, actor: session, query: input }) => {
    const today = fromInstant(deps.clock.now());
    const days = input.q ? DEFAULT_SEARCH_DAYS : DEFAULT_DAYS;
    const query = { ...input, to: input.to ?? today, from: input.from ?? addDays(input.to ?? today, 1 - days) };
    let result: ArchiveResult = { kind: "none" };
    const api = ConsoleApi.for(ctx);
    const whoLabel = query.who === "staff" ? "老师" : "家长";
    // A name is turned into the account here, among those the reader may read (so a name never reveals who exists
    // outside the reader's scope); reading it is still the API's decision, as for an id.
    if (query.name && !query.id) {
      const manager = deps.dataSource.manager;
      const named = query.who === "staff" ? await staffByName(manager, query.name) : await parentsByName(manager, query.name);
      const ids = await visibleSubjects(manager, session.actor, deps.inheritedThreads, query.who, named);
      if (ids.length === 1) query.id = ids[0];
      else if (ids.length === 0) {
        ctx.status = 404;
        result = { kind: "refused", message: `没有找到名为“${query.name}”的${whoLabel}，请检查姓名` };
      } else {
        const labels = query.who === "staff" ? await staffLabels(deps.dataSource.manager, ids) : undefined;
        const names = await Names.load(deps.dataSource, query.who === "parent" ? { parents: ids } : {});
        result = { kind: "choose", whoLabel, choices: ids.map((id) => ({ id, label: labels?.get(id) ?? names.parent(id) })) };
      }
    }
    if (result.kind === "none" && (query.id || query.q)) {
      // Local dates → instants: the whole of the "to" day is included.
      const range = { from: startOfDate(query.from, CHINA_TIME_ZONE).toISOString(), to: startOfDate(addDays(query.to, 1), CHINA_TIME_ZONE).toISOString() };
      try {
        if (query.q) {
          // Without an account the search covers everything the reader may read (their campus, or the chain for HQ).
          const params = new URLSearchParams({ ...(query.id ? { [query.who]: query.id } : {}), q: query.q, ...range, page: String(query.page ?? 1), pageSize: String(HITS_PER_PAGE) });
          const found = await api.get<SearchAnswer>(`/api/conversations/search?${params}`);
          result = { kind: "hits", answer: found };
        } else if (query.id) {
          const path = query.who === "staff" ? `/api/conversations/staff/${encodeURIComponent(query.id)}` : `/api/conversations/parents/${encodeURIComponent(query.id)}`;
          const listed = await api.get<{ data: ThreadSummaryView[] }>(`${path}?${new URLSearchParams({ ...range, limit: "200" })}`);
          result = { kind: "threads", threads: listed.data };
        }
      } catch (err) {
        // A refused or invalid query is answered on the search page, so the form stays filled in.
        if (!(err instanceof AppError) || ![400, 403, 404].includes(err.status)) throw err;
        ctx.status = err.status;
        result = { kind: "refused", message: err.status === 403 ? (query.name ? `没有权限查看“${query.name}”的会话` : "没有权限查看该账号的会话") : problemText(err) };
      }
    }
    // Readers without any archive scope get no progress line (403), everyone else sees how complete the index is.
    const index = await api.get<SearchIndexProgress>("/api/conversations/search/status").catch((err: unknown) => {
      if (err instanceof AppError && err.status === 403) return undefined;
      throw err;
    });
    const threads = result.kind === "threads" ? result.threads : [];
    const hits = result.kind === "hits" ? result.answer.data : [];
    const names = await Names.load(deps.dataSource, {
      people: [...threads.flatMap((t) => [t.staffUserid ?? "", t.roomId ?? ""]), ...hits.flatMap((h) => (h.room ? [h.room] : []))].filter(Boolean),
      parents: threads.flatMap((t) => (t.externalUserid ? [t.externalUserid] : [])),
    });
    // HR who may hold an erasure (the hold API's scope) find the withdrawals page from here.
    const writable = scope(session.actor, "update", "staff");
    renderPage(ctx, "会话存档", "archive", archiveSearchView(query, result, index, names, writable.all || writable.departmentIds.length > 0));
  } });

  route.get("/thread", { auth: deps.guard, query: threadQuery, handle: async ({ ctx, query: input }) => {
    const subject = Object.fromEntries(Object.entries({ staff: input.staff, parent: input.parent, room: input.room }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const page = await ConsoleApi.for(ctx).get<{ data: MessageView[]; nextCursor: string | null }>(
      `/api/conversations/threads?${new URLSearchParams({ ...subject, limit: String(PAGE), ...(input.cursor ? { cursor: input.cursor } : {}) })}`,
    );
    const next = page.nextCursor ? `/console/archive/thread?${new URLSearchParams({ ...subject, cursor: page.nextCursor })}` : undefined;
    // Names for the people of the thread: the title and every sender (a staff member, a parent, or the group itself).
    const names = await Names.load(deps.dataSource, {
      people: [subject.staff ?? "", subject.room ?? "", ...page.data.map((m) => m.from)].filter(Boolean),
      parents: subject.parent ? [subject.parent] : [],
    });
    const title = subject.room ? `群聊 · ${names.group(subject.room)}` : `${names.of(subject.staff, "员工")} ↔ ${subject.parent ? names.parent(subject.parent) : "家长"}`;
    renderPage(ctx, `会话 · ${title}`, "archive", threadPage(page.data, next, names));
  } });

  // A message's file (image, voice, video, document): the API checks the reader may read its thread and logs it.
  route.get("/media", { auth: deps.guard, query: mediaQuery, handle: async ({ ctx, query: input }) => {
    const file = await ConsoleApi.for(ctx).download(`/api/conversations/media/${encodeURIComponent(input.msgid)}?part=${input.part ?? 1}`);
    if (file.disposition) ctx.set("Content-Disposition", file.disposition);
    ctx.set("Cache-Control", "no-store");
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.type = file.contentType;
    ctx.body = file.body;
  } });
  return router;
}
