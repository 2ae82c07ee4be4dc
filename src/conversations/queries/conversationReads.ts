import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import { recordAccess, type AccessRecord } from "../../org";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { AuthorizationError, NotFoundError, ValidationError } from "../../platform/errors";
import { ConversationAccess } from "../access/conversationAccess";
import type { InheritedThreadsSource } from "../access/inheritedThreads";
import { readArchivedMessages, type ArchiveScope } from "../archive/readArchivedMessages";
import { exportThreads } from "../export/buildArchiveExport";
import { archiveJson, archiveMarkdown, type ArchiveExport } from "../presenters/archiveDocument";
import { messageView } from "../presenters/messageJson";
import { threadView } from "../presenters/threadView";
import { displayNames } from "../../org";
import { decodeCursor, encodeCursor } from "./pageCursor";
import { readerScope, scopeIsEmpty } from "../access/readerScope";
import { UnsearchableQueryError } from "../searchIndex/parseQuery";
import type { SearchIndexKeys } from "../searchIndex/searchIndexKeys";
import type { SearchIndexStatus } from "../searchIndex/searchIndexStatus";
import { readMedia } from "../media/mediaRows";
import type { MediaStore } from "../media/store/mediaStore";
import { mediaContentType, mediaFileName } from "./mediaDownload";
import { searchArchive } from "./searchArchive";
import { pageThreads, threadSummaries, type ThreadKey, type ThreadSummary } from "./threadSummaries";

export interface ConversationReadDeps {
  dataSource: DataSource;
  keyRing: DataKeyRing;
  searchKeys: SearchIndexKeys;
  /** How complete the index is; absent in tests that do not care. */
  searchStatus?: SearchIndexStatus;
  clock: Clock;
  /** What was handed to a successor (the handover capability answers). */
  inheritedThreads: InheritedThreadsSource;
  /** Where archived media's bytes are; without it files cannot be downloaded. */
  mediaStore?: MediaStore;
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

export interface MediaFile {
  contentType: string;
  filename: string;
  body: Buffer;
}

/** Why a file of a message cannot be had, in the reader's words (each row status of archive_media). */
const MEDIA_UNAVAILABLE: Record<string, string> = {
  pending: "该文件尚未从企业微信取回，请稍后再试",
  too_large: "该文件超过存档的大小上限，未保存",
  dead: "该文件多次从企业微信取回失败，未保存",
};

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
    this.access = new ConversationAccess(deps.dataSource.manager, actor, deps.inheritedThreads);
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

  /**
   * One file of an archived message (part 1.. of a mixed message), for a
   * reader who may read the message's thread; the download is logged like a
   * read. The message decides the thread, so a reader cannot reach a file by
   * naming a thread they may read and a message of another.
   */
  async media(input: { msgid: string; part: number }): Promise<MediaFile> {
    const [message]: Array<{ staff_userid: string | null; external_userid: string | null; room_id: string | null; msg_time: Date }> = await this.deps.dataSource.query(
      `SELECT staff_userid, external_userid, room_id, msg_time FROM archive_message WHERE msgid = $1 LIMIT 1`,
      [input.msgid],
    );
    if (!message || (message.room_id === null && (message.staff_userid === null || message.external_userid === null))) throw new NotFoundError("没有这条消息");
    const key: ThreadKey = message.room_id !== null
      ? { kind: "room", roomId: message.room_id }
      : { kind: "single", staffUserid: message.staff_userid!, externalUserid: message.external_userid! };
    await this.authorizeThread("read", key);
    const files: Array<{ sdkfileid: string; status: string | null; filename: string | null; msgtype: string }> = await this.deps.dataSource.query(
      `SELECT r.ref->>'sdkfileid' AS sdkfileid, a.status, coalesce(a.filename, r.ref->>'filename') AS filename, coalesce(a.msgtype, m.msgtype) AS msgtype
         FROM archive_message m CROSS JOIN LATERAL jsonb_array_elements(coalesce(m.media, '[]'::jsonb)) WITH ORDINALITY AS r(ref, n)
         LEFT JOIN archive_media a ON a.msgid = m.msgid AND a.sdkfileid = r.ref->>'sdkfileid'
        WHERE m.msgid = $1 AND coalesce(r.ref->>'sdkfileid', '') <> ''
        ORDER BY r.n`,
      [input.msgid],
    );
    const file = files[input.part - 1];
    if (!file) throw new NotFoundError(files.length === 0 ? "这条消息没有文件" : `这条消息只有 ${files.length} 个文件`);
    const data = file.status === "stored" && this.deps.mediaStore
      ? await readMedia({ dataSource: this.deps.dataSource, keyRing: this.deps.keyRing, store: this.deps.mediaStore }, input.msgid, file.sdkfileid)
      : null;
    if (!data) throw new NotFoundError(MEDIA_UNAVAILABLE[file.status ?? "pending"] ?? MEDIA_UNAVAILABLE.pending);
    await this.log("read", resourceId(key), { view: "media", msgid: input.msgid, part: input.part, bytes: data.length });
    const filename = mediaFileName({ msgtype: file.msgtype, filename: file.filename, sentAt: message.msg_time, part: input.part, parts: files.length });
    return { contentType: mediaContentType(filename), filename, body: data };
  }

  /**
   * Keyword search on the blind index across everything the reader may read
   * (campus, HQ, inherited threads), optionally narrowed to a staff member,
   * a parent or a group. Counts and pages are over confirmed hits the reader
   * may see, and nothing else: a hit outside the scope is never counted.
   */
  async search(input: { staff?: string; parent?: string; room?: string; q: string; from: Date; to: Date; page: number; pageSize: number }) {
    const range = { from: input.from, to: input.to };
    // A named filter the reader may not open is refused outright (403), as before the index.
    if (input.staff !== undefined) await this.access.staffArchive("read", input.staff);
    if (input.parent !== undefined) {
      const all = await threadSummaries(this.deps.dataSource.manager, { externalUserid: input.parent, ...range });
      if (all.length > 0 && (await this.visibleThreads(all, "read")).length === 0) throw new AuthorizationError("没有权限查看该家长的会话");
    }
    if (input.room !== undefined) await this.access.room("read", input.room);
    const scope = await readerScope(this.actor, () => this.access.inheritedThreads());
    if (scopeIsEmpty(scope)) throw new AuthorizationError("没有权限检索会话存档");
    let result;
    try {
      result = await searchArchive(
        this.deps.dataSource.manager,
        this.deps,
        scope,
        { q: input.q, ...range, staffUserid: input.staff, externalUserid: input.parent, roomId: input.room },
        (chat) =>
          chat.roomId
            ? this.access.mayRoom("read", chat.roomId)
            : chat.staffUserid !== null && chat.externalUserid !== null
              ? this.access.mayThread("read", chat.staffUserid, chat.externalUserid)
              : Promise.resolve(false),
        (chats) =>
          this.access.prepare(
            chats.flatMap((c) => (c.staffUserid ? [c.staffUserid] : [])),
            chats.flatMap((c) => (c.roomId ? [c.roomId] : [])),
          ),
      );
    } catch (err) {
      if (err instanceof UnsearchableQueryError) throw new ValidationError(err.message);
      throw err;
    }
    const total = result.hits.length;
    const pageHits = result.hits.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
    const filters = Object.fromEntries(Object.entries({ staff: input.staff, parent: input.parent, room: input.room }).filter(([, v]) => v !== undefined));
    const resource = Object.entries(filters).map(([k, v]) => `${k}:${v}`).join("/") || "archive";
    // Names, the access log entry and the index's progress do not depend on each other: one wait, not three
    // (each is a round trip, and on a busy server the waits, not the queries, make a search slow).
    const [names, , index] = await Promise.all([
      displayNames(
        this.deps.dataSource.manager,
        pageHits.flatMap((h) => [h.chat.message.from, ...(h.chat.staffUserid ? [h.chat.staffUserid] : []), ...(h.chat.externalUserid ? [h.chat.externalUserid] : [])]),
      ),
      this.log("search", resource, { q: input.q, ...isoRange(range), ...filters, hits: total, page: input.page, candidates: result.candidates }),
      this.indexProgress(),
    ]);
    const person = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? null });
    return {
      data: pageHits.map((h) => ({
        message: messageView(h.chat),
        snippet: `${h.highlight.before}${h.highlight.match}${h.highlight.after}`,
        highlight: h.highlight,
        from: person(h.chat.message.from),
        staff: person(h.chat.staffUserid),
        parent: h.chat.roomId ? null : person(h.chat.externalUserid),
        room: h.chat.roomId,
      })),
      total,
      page: input.page,
      pageSize: input.pageSize,
      truncated: result.truncated,
      index,
    };
  }

  /**
   * How far the back-fill (or a re-index after rotation) has come, as a
   * chain-wide percentage: for anyone who may search, nothing about hits.
   */
  async searchIndexStatus() {
    const scope = await readerScope(this.actor, () => this.access.inheritedThreads());
    if (scopeIsEmpty(scope)) throw new AuthorizationError("没有权限检索会话存档");
    return this.indexProgress();
  }

  private async indexProgress(): Promise<{ complete: boolean; percent: number }> {
    const state = (await this.deps.searchStatus?.state()) ?? { pending: 0, total: 0 };
    const percent = state.total === 0 ? 100 : Math.floor(((state.total - state.pending) / state.total) * 100);
    return { complete: state.pending === 0, percent };
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
      ...(t.key.kind === "single" ? [t.key.staffUserid, t.key.externalUserid] : [t.key.roomId]),
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
