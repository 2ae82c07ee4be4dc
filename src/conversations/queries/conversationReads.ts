import type { DataSource } from "typeorm";
import type { Actor } from "../../org/policies/actor";
import { recordAccess, type AccessRecord } from "../../org/accessLog";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { AuthorizationError } from "../../platform/errors";
import { ConversationAccess } from "../access/conversationAccess";
import { readArchivedMessages, type ArchiveScope, type StoredChat } from "../archive/readArchivedMessages";
import { exportThreads } from "../export/buildArchiveExport";
import { archiveJson, archiveMarkdown, type ArchiveExport } from "../presenters/archiveDocument";
import { messageView } from "../presenters/messageJson";
import { threadView } from "../presenters/threadView";
import { displayNames } from "../../org/directory/displayNames";
import { decodeCursor, encodeCursor } from "./pageCursor";
import { searchMessages } from "./searchMessages";
import { pageThreads, threadId, threadSummaries, type ThreadKey, type ThreadSummary } from "./threadSummaries";

export interface ConversationReadDeps {
  dataSource: DataSource;
  keyRing: DataKeyRing;
  clock: Clock;
}

interface Range {
  from?: Date;
  to?: Date;
}
interface Paging {
  cursor?: string;
  limit: number;
}

export interface ExportFile {
  contentType: string;
  filename: string;
  body: string;
}

/**
 * Every conversation read, search and export for one actor: asks the policy,
 * reads, and records the access (who, what, when) before anything is returned.
 */
export class ConversationReads {
  private readonly access: ConversationAccess;

  constructor(
    private readonly deps: ConversationReadDeps,
    private readonly actor: Actor,
  ) {
    this.access = new ConversationAccess(deps.dataSource.manager, actor);
  }

  async staffThreads(input: { userid: string } & Range & Paging) {
    const scope = await this.access.staffArchive("read", input.userid);
    const range = this.range(input);
    const all = await threadSummaries(this.deps.dataSource.manager, {
      staffUserid: input.userid,
      onlyParents: scope.kind === "inherited" ? scope.externalUserids : undefined,
      ...range,
    });
    const page = pageThreads(await this.visibleThreads(all, "read"), input.cursor, input.limit);
    await this.log("read", `staff:${input.userid}`, { view: "threads", ...isoRange(range), threads: page.items.length });
    return { data: page.items.map(threadView), nextCursor: page.nextCursor };
  }

  async parentThreads(input: { externalUserid: string } & Range & Paging) {
    const range = this.range(input);
    const all = await threadSummaries(this.deps.dataSource.manager, { externalUserid: input.externalUserid, ...range });
    const visible = await this.visibleThreads(all, "read");
    if (all.length > 0 && visible.length === 0) throw new AuthorizationError("没有权限查看该家长的会话");
    const page = pageThreads(visible, input.cursor, input.limit);
    await this.log("read", `parent:${input.externalUserid}`, { view: "threads", ...isoRange(range), threads: page.items.length });
    return { data: page.items.map(threadView), nextCursor: page.nextCursor };
  }

  async thread(input: { staff?: string; parent?: string; room?: string } & Range & Paging) {
    const key = threadKey(input);
    await this.authorizeThread("read", key);
    const range = this.range(input);
    const after = input.cursor ? decodeCursor(input.cursor, { t: "number", s: "number" }) : undefined;
    const scope: ArchiveScope =
      key.kind === "room" ? { roomId: key.roomId, ...range } : { staffUserid: key.staffUserid, externalUserid: key.externalUserid, ...range };
    const rows = await readArchivedMessages(this.deps.dataSource, this.deps.keyRing, {
      ...scope,
      after: after ? { msgTime: new Date(after.t as number), seq: after.s as number } : undefined,
      limit: input.limit + 1,
    });
    const items = rows.slice(0, input.limit);
    const last = items[items.length - 1];
    await this.log("read", resourceId(key), { view: "messages", ...isoRange(range), messages: items.length });
    return {
      data: items.map(messageView),
      nextCursor: rows.length > input.limit && last ? encodeCursor({ t: last.msgTime.getTime(), s: last.seq }) : null,
    };
  }

  async search(input: { staff?: string; parent?: string; room?: string; q: string; from: Date; to: Date }) {
    const range = { from: input.from, to: input.to };
    let scope: Omit<ArchiveScope, "after" | "limit">;
    let visible: (chat: StoredChat) => boolean = () => true;
    let resource: string;
    if (input.staff !== undefined) {
      const access = await this.access.staffArchive("read", input.staff);
      scope = { staffUserid: input.staff, externalUserids: access.kind === "inherited" ? access.externalUserids : undefined, ...range };
      resource = `staff:${input.staff}`;
    } else if (input.parent !== undefined) {
      const all = await threadSummaries(this.deps.dataSource.manager, { externalUserid: input.parent, ...range });
      const allowed = await this.visibleThreads(all, "read");
      if (all.length > 0 && allowed.length === 0) throw new AuthorizationError("没有权限查看该家长的会话");
      const keys = new Set(allowed.map(threadId));
      visible = (chat) =>
        keys.has(threadId(chat.roomId ? { kind: "room", roomId: chat.roomId } : { kind: "single", staffUserid: chat.staffUserid ?? "", externalUserid: chat.externalUserid ?? "" }));
      scope = { externalUserid: input.parent, ...range };
      resource = `parent:${input.parent}`;
    } else {
      await this.access.room("read", input.room as string);
      scope = { roomId: input.room as string, ...range };
      resource = `room:${input.room}`;
    }
    const result = await searchMessages(this.deps.dataSource, this.deps.keyRing, scope, input.q, visible);
    await this.log("search", resource, { q: input.q, ...isoRange(range), hits: result.hits.length, scanned: result.scanned });
    return {
      data: result.hits.map((h) => ({ message: messageView(h.chat), snippet: h.snippet })),
      scanned: result.scanned,
      truncated: result.truncated,
    };
  }

  async export(input: { staff: string; parent?: string; format: "json" | "md" } & Range): Promise<ExportFile> {
    const range = this.range(input);
    let keys: ThreadKey[];
    if (input.parent !== undefined) {
      await this.access.thread("export", input.staff, input.parent);
      keys = [{ kind: "single", staffUserid: input.staff, externalUserid: input.parent }];
    } else {
      const scope = await this.access.staffArchive("export", input.staff);
      const all = await threadSummaries(this.deps.dataSource.manager, {
        staffUserid: input.staff,
        onlyParents: scope.kind === "inherited" ? scope.externalUserids : undefined,
        ...range,
      });
      keys = (await this.visibleThreads(all, "export")).sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime());
    }
    const threads = await exportThreads(this.deps.dataSource, this.deps.keyRing, keys.map(keyOnly), range);
    const people = threads.flatMap((t) => [
      ...(t.key.kind === "single" ? [t.key.staffUserid, t.key.externalUserid] : []),
      ...t.messages.map((m) => m.message.from),
    ]);
    const doc: ArchiveExport = {
      subject: { staffUserid: input.staff, ...(input.parent !== undefined ? { externalUserid: input.parent } : {}) },
      exportedAt: this.deps.clock.now(),
      exportedBy: this.actor.userid,
      ...range,
      threads,
      names: await displayNames(this.deps.dataSource.manager, [input.staff, this.actor.userid, ...people]),
    };
    const subject = input.parent !== undefined ? `staff:${input.staff}/parent:${input.parent}` : `staff:${input.staff}`;
    const messages = threads.reduce((n, t) => n + t.messages.length, 0);
    await this.log("export", subject, { format: input.format, ...isoRange(range), threads: threads.length, messages });
    // Ids become part of a header value: keep the file name to safe characters.
    const base = `conversations-${input.staff}${input.parent ? `-${input.parent}` : ""}`.replace(/[^A-Za-z0-9_.-]/g, "_");
    return input.format === "md"
      ? { contentType: "text/markdown; charset=utf-8", filename: `${base}.md`, body: archiveMarkdown(doc) }
      : { contentType: "application/json; charset=utf-8", filename: `${base}.json`, body: JSON.stringify(archiveJson(doc), null, 2) };
  }

  private async authorizeThread(action: "read" | "export", key: ThreadKey): Promise<void> {
    if (key.kind === "room") await this.access.room(action, key.roomId);
    else await this.access.thread(action, key.staffUserid, key.externalUserid);
  }

  private async visibleThreads(threads: ThreadSummary[], action: "read" | "export"): Promise<ThreadSummary[]> {
    const allowed = await Promise.all(
      threads.map((t) => (t.kind === "room" ? this.access.mayRoom(action, t.roomId) : this.access.mayThread(action, t.staffUserid, t.externalUserid))),
    );
    return threads.filter((_, i) => allowed[i]);
  }

  /** Listings and exports default to everything up to now; searches always name their range. */
  private range(input: Range): { from: Date; to: Date } {
    return { from: input.from ?? new Date(0), to: input.to ?? new Date(this.deps.clock.now().getTime() + 86_400_000) };
  }

  private log(action: AccessRecord["action"], resourceId: string, detail: Record<string, unknown>): Promise<void> {
    return recordAccess(this.deps.dataSource.manager, { actor: this.actor, action, resourceType: "conversation", resourceId, detail, at: this.deps.clock.now() });
  }
}

function threadKey(input: { staff?: string; parent?: string; room?: string }): ThreadKey {
  return input.room !== undefined
    ? { kind: "room", roomId: input.room }
    : { kind: "single", staffUserid: input.staff as string, externalUserid: input.parent as string };
}

function keyOnly(t: ThreadKey): ThreadKey {
  return t.kind === "room" ? { kind: "room", roomId: t.roomId } : { kind: "single", staffUserid: t.staffUserid, externalUserid: t.externalUserid };
}

function resourceId(key: ThreadKey): string {
  return key.kind === "room" ? `room:${key.roomId}` : `staff:${key.staffUserid}/parent:${key.externalUserid}`;
}

function isoRange(range: { from: Date; to: Date }) {
  return { from: range.from.toISOString(), to: range.to.toISOString() };
}
